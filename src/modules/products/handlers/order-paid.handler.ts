// orders.order-paid → the order's held units are sold: they leave stock, once.
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { findReservationStatus } from '../db/inventory.repository.js';
import { CONSUMED_EVENTS, OrderPaidData, readEventData } from './consumed-events.js';
import { commitReservation } from './stock-movements.js';

export const commitStockOnOrderPaid: ModuleSubscription = {
  name: 'commit-stock-on-payment',
  pattern: CONSUMED_EVENTS.orderPaid,
  async handler(event, { tx, logger }) {
    const data = readEventData(OrderPaidData, event, logger);
    if (!data) return;
    const orderId = data.orderId.toLowerCase();

    const committed = await commitReservation(tx, orderId);
    if (committed) {
      logger.info({ orderId, lines: committed.length }, 'stock committed for paid order');
      return;
    }
    const status = await findReservationStatus(tx, orderId);
    if (status === 'committed' || status === 'restocked') logger.info({ orderId, status }, 'paid order was committed before; nothing to do');
    else logger.warn({ orderId, status }, 'paid order holds no reserved stock; nothing committed');
  },
};
