// orders.order-cancelled → give the order's held units back, once.
import { on } from '../../../platform/modules/module-definition.js';
import { OrdersEvents } from '../../orders/api.js';
import { findReservationStatus, insertReservationIfAbsent } from '../db/inventory.repository.js';
import { releaseReservation } from './stock-movements.js';

export const releaseStockOnOrderCancelled = on(OrdersEvents.orderCancelled, 'release-stock-on-cancel', async ({ data }, { tx, logger }) => {
  const orderId = data.orderId.toLowerCase();

  // Arriving before the order-placed (queues are independent): leave a record so the late
  // order-placed finds the order dealt with and holds nothing. Inserting first also waits for
  // an order-placed being handled right now, whose record is then released below.
  if (await insertReservationIfAbsent(tx, orderId, 'cancelled_before_reservation')) {
    logger.info({ orderId }, 'order cancelled before its stock was reserved; it will hold none');
    return;
  }
  const released = await releaseReservation(tx, orderId);
  if (released) {
    logger.info({ orderId, lines: released.length }, 'stock released for cancelled order');
    return;
  }
  logger.info({ orderId, status: await findReservationStatus(tx, orderId) }, 'cancelled order holds no stock; nothing to release');
});
