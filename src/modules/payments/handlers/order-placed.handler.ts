// orders.order-placed: the payments module learns the order's customer, total and currency here,
// the only place it learns them (the client never says what to charge).
import { ORDERS_EVENTS, type OrderPlaced } from '../../orders/index.js';
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

export const orderPlacedSubscription: ModuleSubscription = {
  name: 'order-placed',
  pattern: ORDERS_EVENTS.orderPlaced,
  async handler(event, context) {
    const { orderId, customerId, totalCents, currency } = event.data as OrderPlaced;
    await addPayableOrderFact(event, context, orderId, { type: 'placed', customerId, totalCents, currency });
  },
};
