// orders.order-placed → hold every line of the order, or none, and say which it was.
import { on } from '../../../platform/modules/module-definition.js';
import { OrdersEvents } from '../../orders/api.js';
import {
  availableUnits,
  findReservationStatus,
  insertReservationIfAbsent,
  insertReservationLines,
  reserveAllUnits,
  transitionReservation,
} from '../db/inventory.repository.js';
import { mergeLines, rejectionReason, type StockLine } from '../domain/reservation.js';
import { ProductsEvents } from '../api.js';

export const reserveStockOnOrderPlaced = on(OrdersEvents.orderPlaced, 'reserve-stock', async ({ data }, { tx, publish, logger }) => {
  const orderId = data.orderId.toLowerCase();

  // The order's record is claimed before any stock is touched (as 'rejected', holding nothing,
  // until every line is held). Any record already there means the order was dealt with, or was
  // cancelled before it got here: then it holds nothing and nothing is published, since orders
  // and payments already know it is cancelled. A cancel handled at this very moment waits for
  // this claim and then releases what it holds. So the outcome is the same in either order,
  // without a failed attempt and a retry.
  if (!(await insertReservationIfAbsent(tx, orderId, 'rejected'))) {
    logger.info({ orderId, status: await findReservationStatus(tx, orderId) }, 'order already has a stock record; order-placed ignored');
    return;
  }

  const lines = mergeLines(data.items.map((item) => ({ productId: item.productId.toLowerCase(), quantity: item.quantity })));
  if (await reserveAllUnits(tx, lines)) {
    await transitionReservation(tx, orderId, 'rejected', 'reserved');
    await insertReservationLines(tx, orderId, lines);
    await publish(ProductsEvents.stockReserved, { orderId, lines });
    logger.info({ orderId, lines: lines.length }, 'stock reserved for order');
    return;
  }

  // Nothing was held: what is available now, to say why.
  const available = await availableUnits(tx, lines.map((line) => line.productId));
  const reason = rejectionReason(lines.map((line) => ({ known: available.has(line.productId) })));
  await publish(ProductsEvents.stockRejected, {
    orderId,
    reason,
    lines: lines.map((line) => ({ productId: line.productId, requested: line.quantity, available: Math.max(0, available.get(line.productId) ?? 0) })),
  });
  logger.info({ orderId, reason }, 'stock rejected for order');
});
