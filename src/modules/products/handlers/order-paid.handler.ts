// orders.order-paid → the order's held units are sold: they leave stock, once. A full refund that
// arrived first is applied right after, so the units end back in stock either way.
import { on } from '../../../platform/modules/module-definition.js';
import { OrdersEvents } from '../../orders/api.js';
import { findReservationStatus, lockReservation } from '../db/inventory.repository.js';
import { commitReservation, restockReservation } from './stock-movements.js';

export const commitStockOnOrderPaid = on(OrdersEvents.orderPaid, 'commit-stock-on-payment', async ({ data }, { tx, logger }) => {
  const orderId = data.orderId.toLowerCase();

  const committed = await commitReservation(tx, orderId);
  if (committed) {
    logger.info({ orderId, lines: committed.length }, 'stock committed for paid order');
    if ((await lockReservation(tx, orderId))?.refundPending) {
      await restockReservation(tx, orderId);
      logger.info({ orderId }, 'stock restocked for the refund that arrived before the payment');
    }
    return;
  }
  const status = await findReservationStatus(tx, orderId);
  if (status === 'committed' || status === 'restocked') logger.info({ orderId, status }, 'paid order was committed before; nothing to do');
  else logger.warn({ orderId, status }, 'paid order holds no reserved stock; nothing committed');
});
