// orders.order-paid: orders accepted a payment. Usually the copy is already paid (this module
// marks it when the charge succeeds); the event still settles it if that ever was not the case.
import { ORDERS_EVENTS, type OrderPaid } from '../../orders/index.js';
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

export const orderPaidSubscription: ModuleSubscription = {
  name: 'order-paid',
  pattern: ORDERS_EVENTS.orderPaid,
  handler: async (event, context) => {
    await addPayableOrderFact(event, context, (event.data as OrderPaid).orderId, { type: 'paid' });
  },
};
