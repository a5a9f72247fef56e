// orders.order-paid: orders accepted a payment. Usually the copy is already paid (this module
// marks it when the charge succeeds); the event still settles it if that ever was not the case.
import { on } from '../../../platform/modules/module-definition.js';
import { OrdersEvents } from '../../orders/api.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

export const orderPaidSubscription = on(OrdersEvents.orderPaid, 'order-paid', async (event, context) => {
  await addPayableOrderFact(event, context, event.data.orderId, { type: 'paid' });
});
