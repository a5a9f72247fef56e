// orders.order-placed: the payments module learns the order's customer, total and currency here,
// the only place it learns them (the client never says what to charge).
import { ORDERS_EVENTS, type OrderPlaced } from '../../orders/index.js';
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { insertPayableOrder } from '../db/payable-orders.repository.js';

export const orderPlacedSubscription: ModuleSubscription = {
  name: 'order-placed',
  pattern: ORDERS_EVENTS.orderPlaced,
  async handler(event, { tx, logger }) {
    const { orderId, customerId, totalCents, currency } = event.data as OrderPlaced;
    const inserted = await insertPayableOrder(tx, { orderId, customerId, totalCents, currency });
    if (!inserted) logger.info({ orderId }, 'order already known to payments; event ignored');
  },
};
