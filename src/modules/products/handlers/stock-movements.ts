// Moves an order's held units, once. Each movement first moves the order's record out of the
// status it requires (a guarded UPDATE); only the transaction that made that move touches stock,
// so redeliveries and racing events (a cancel and a payment) cannot move the same units twice.
import type { Tx } from '../../../platform/db/database.js';
import {
  commitUnits,
  findReservationLines,
  releaseUnits,
  restockUnits,
  transitionReservation,
} from '../db/inventory.repository.js';
import type { StockLine } from '../domain/reservation.js';

/** reserved → released: the held units become available again. */
export async function releaseReservation(tx: Tx, orderId: string): Promise<StockLine[] | null> {
  return move(tx, orderId, 'reserved', 'released', releaseUnits);
}

/** reserved → committed: the held units are sold and leave stock. */
export async function commitReservation(tx: Tx, orderId: string): Promise<StockLine[] | null> {
  return move(tx, orderId, 'reserved', 'committed', commitUnits);
}

/** committed → restocked: the sold units come back into stock. */
export async function restockReservation(tx: Tx, orderId: string): Promise<StockLine[] | null> {
  return move(tx, orderId, 'committed', 'restocked', restockUnits);
}

/** The lines moved, or null when the order was not in `from` (nothing moved). */
async function move(
  tx: Tx,
  orderId: string,
  from: 'reserved' | 'committed',
  to: 'released' | 'committed' | 'restocked',
  apply: (tx: Tx, line: StockLine) => Promise<void>,
): Promise<StockLine[] | null> {
  if (!(await transitionReservation(tx, orderId, from, to))) return null;
  const lines = await findReservationLines(tx, orderId);
  for (const line of lines) await apply(tx, line);
  return lines;
}
