// orders.order-placed → hold every line of the order, or none, and say which it was.
import type { Tx } from '../../../platform/db/database.js';
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { availableUnits, findReservationStatus, insertReservation, reserveUnits } from '../db/inventory.repository.js';
import { mergeLines, rejectionReason, type StockLine } from '../domain/reservation.js';
import { PRODUCTS_EVENTS, type StockRejected, type StockReserved } from '../events.js';
import { CONSUMED_EVENTS, OrderPlacedData, readEventData } from './consumed-events.js';

export const reserveStockOnOrderPlaced: ModuleSubscription = {
  name: 'reserve-stock',
  pattern: CONSUMED_EVENTS.orderPlaced,
  async handler(event, { tx, publish, logger }) {
    const data = readEventData(OrderPlacedData, event, logger);
    if (!data) return;
    const orderId = data.orderId.toLowerCase();

    // Any record means the order was dealt with already, or cancelled before it got here.
    const status = await findReservationStatus(tx, orderId);
    if (status !== null) {
      logger.info({ orderId, status }, 'order already has a stock record; order-placed ignored');
      return;
    }

    const lines = mergeLines(data.items.map((item) => ({ productId: item.productId.toLowerCase(), quantity: item.quantity })));
    if (await reserveAll(tx, lines)) {
      await insertReservation(tx, orderId, 'reserved', lines);
      await publish(PRODUCTS_EVENTS.stockReserved, { orderId, lines } satisfies StockReserved);
      logger.info({ orderId, lines: lines.length }, 'stock reserved for order');
      return;
    }

    // Read after the savepoint rolled back: what is available now, without this order's holds.
    const available = await availableUnits(tx, lines.map((line) => line.productId));
    const reason = rejectionReason(lines.map((line) => ({ known: available.has(line.productId) })));
    await insertReservation(tx, orderId, 'rejected');
    await publish(PRODUCTS_EVENTS.stockRejected, {
      orderId,
      reason,
      lines: lines.map((line) => ({ productId: line.productId, requested: line.quantity, available: Math.max(0, available.get(line.productId) ?? 0) })),
    } satisfies StockRejected);
    logger.info({ orderId, reason }, 'stock rejected for order');
  },
};

class LineCannotBeHeld extends Error {}

/**
 * Holds every line inside a savepoint: the first line that cannot be held rolls back the lines
 * held before it, so an order never keeps part of its stock.
 */
async function reserveAll(tx: Tx, lines: readonly StockLine[]): Promise<boolean> {
  try {
    await tx.transaction(async (savepoint) => {
      for (const line of lines) {
        if (!(await reserveUnits(savepoint, line))) throw new LineCannotBeHeld();
      }
    });
    return true;
  } catch (error) {
    if (error instanceof LineCannotBeHeld) return false;
    throw error;
  }
}
