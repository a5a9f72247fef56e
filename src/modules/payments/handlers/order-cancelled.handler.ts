// orders.order-cancelled: a cancelled order must not be charged any more.
import { ORDERS_EVENTS, type OrderCancelled } from '../../orders/index.js';
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { movePayableOrder } from './move-payable-order.js';

export const orderCancelledSubscription: ModuleSubscription = {
  name: 'order-cancelled',
  pattern: ORDERS_EVENTS.orderCancelled,
  handler: (event, context) => movePayableOrder(event, context, (event.data as OrderCancelled).orderId, 'cancelled'),
};
