// orders.order-placed: the payments module learns the order's customer, total and currency here,
// the only place it learns them (the client never says what to charge).
import { on } from '../../../platform/modules/module-definition.js';
import { OrdersEvents } from '../../orders/api.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

export const orderPlacedSubscription = on(OrdersEvents.orderPlaced, 'order-placed', async (event, context) => {
  const { orderId, customerId, totalCents, currency } = event.data;
  await addPayableOrderFact(event, context, orderId, { type: 'placed', customerId, totalCents, currency });
});
