// orders.order-cancelled: a cancelled order must not be charged any more, and must not keep money
// it was charged. Paying locks the same row as this handler, so a payment either committed before
// (and is refunded here) or comes after and finds the order cancelled.
import { on, type ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { OrdersEvents } from '../../orders/api.js';
import type { RefundCancelledOrder } from '../payments.service.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

/** `refunds` gives the hosted module's refund use case: only the process hosting payments runs this handler. */
export function orderCancelledSubscription(refunds: () => RefundCancelledOrder): ModuleSubscription {
  return on(OrdersEvents.orderCancelled, 'order-cancelled', async (event, context) => {
    const { before } = await addPayableOrderFact(event, context, event.data.orderId, { type: 'cancelled' });
    // Orders accepted the cancel before it learned of our charge; the charge is still ours to undo.
    await refunds()(context, before.orderId, event.id);
  });
}
