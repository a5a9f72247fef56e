// Inventory queries: units held for orders, and each order's reservation record. All run inside
// the event handler's transaction. Product rows are always written in productId order (callers
// pass merged, sorted lines) so concurrent handlers never deadlock on each other.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import type { ReservationStatus, StockLine } from '../domain/reservation.js';
import { MAX_INTEGER, orderReservations, products, reservationLines } from './schema.js';

/**
 * Holds every line's units for an order if all of them are available right now, or none (false,
 * also when a product does not exist), in one statement. The product rows are locked first, in
 * productId order (as every writer of them does), and their current stock read under that lock,
 * so racing orders cannot both take the last unit and two writers never wait on each other.
 */
export async function reserveAllUnits(tx: Tx, lines: readonly StockLine[]): Promise<boolean> {
  const ids = lines.map((line) => line.productId);
  const quantities = lines.map((line) => line.quantity);
  const rows = await tx.execute(sql`
    with wanted as (select * from unnest(${toArray(ids)}::uuid[], ${toArray(quantities)}::int[]) as wanted(id, quantity)),
    locked as materialized (
      select id, stock - reserved as available from ${products} where id = any(${toArray(ids)}::uuid[]) order by id for update),
    enough as (
      select count(*) = ${lines.length} as ok from locked join wanted using (id) where locked.available >= wanted.quantity)
    update ${products} set reserved = ${products.reserved} + wanted.quantity, updated_at = now()
      from wanted, enough
     where ${products.id} = wanted.id and enough.ok
    returning ${products.id}`);
  return rows.length === lines.length;
}

// An array as one parameter (drizzle would spread a plain array into a list of parameters).
function toArray(values: readonly (string | number)[]) {
  return sql.param(`{${values.join(',')}}`);
}

/** Gives held units back to what is available. */
export async function releaseUnits(tx: Tx, line: StockLine): Promise<void> {
  await tx
    .update(products)
    .set({ reserved: sql`${products.reserved} - ${line.quantity}`, updatedAt: sql`now()` })
    .where(eq(products.id, line.productId));
}

/** Turns held units into a sale: they leave stock and stop being reserved. */
export async function commitUnits(tx: Tx, line: StockLine): Promise<void> {
  await tx
    .update(products)
    .set({
      stock: sql`${products.stock} - ${line.quantity}`,
      reserved: sql`${products.reserved} - ${line.quantity}`,
      updatedAt: sql`now()`,
    })
    .where(eq(products.id, line.productId));
}

/** Puts sold units back into stock. */
export async function restockUnits(tx: Tx, line: StockLine): Promise<void> {
  // An admin may have set the stock to the most the column holds since the units were sold: it
  // stays there (the sum is taken in bigint), rather than fail on every retry of the refund and be
  // dead-lettered for good. Nobody can count units past 2^31 - 1 anyway.
  await tx
    .update(products)
    .set({ stock: sql`least(${products.stock}::bigint + ${line.quantity}, ${MAX_INTEGER})`, updatedAt: sql`now()` })
    .where(eq(products.id, line.productId));
}

/** Units available (stock - reserved) per existing product; unknown products are absent. */
export async function availableUnits(tx: Tx, productIds: readonly string[]): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: products.id, available: sql<number>`${products.stock} - ${products.reserved}` })
    .from(products)
    .where(inArray(products.id, [...productIds]));
  return new Map(rows.map((row) => [row.id, Number(row.available)]));
}

export async function findReservationStatus(tx: Tx, orderId: string): Promise<ReservationStatus | null> {
  const [row] = await tx.select({ status: orderReservations.status }).from(orderReservations).where(eq(orderReservations.orderId, orderId));
  return row?.status ?? null;
}

/** Stores the units a reserved order holds. */
export async function insertReservationLines(tx: Tx, orderId: string, lines: readonly StockLine[]): Promise<void> {
  await tx.insert(reservationLines).values(lines.map((line) => ({ orderId, ...line })));
}

/** The order's record, locked until the transaction ends, or null when there is none. */
export async function lockReservation(tx: Tx, orderId: string): Promise<{ status: ReservationStatus; refundPending: boolean } | null> {
  const [row] = await tx
    .select({ status: orderReservations.status, refundPending: orderReservations.refundPending })
    .from(orderReservations)
    .where(eq(orderReservations.orderId, orderId))
    .for('update');
  return row ?? null;
}

/** Remembers a full refund of an order whose units are still only held. */
export async function markRefundPending(tx: Tx, orderId: string): Promise<void> {
  await tx.update(orderReservations).set({ refundPending: true, updatedAt: sql`now()` }).where(eq(orderReservations.orderId, orderId));
}

/**
 * Records the order with `status` unless it has a record already; true when this call created it.
 * A record being written by a concurrent transaction makes this wait for it, then report false.
 */
export async function insertReservationIfAbsent(tx: Tx, orderId: string, status: ReservationStatus): Promise<boolean> {
  const rows = await tx.insert(orderReservations).values({ orderId, status }).onConflictDoNothing().returning({ orderId: orderReservations.orderId });
  return rows.length === 1;
}

/**
 * Moves the order's record from `from` to `to`; true when this call made the move. The row lock
 * makes concurrent handlers (a cancel and a payment, or a redelivery) take turns, and only the
 * first still finds `from`: that is what makes each stock movement happen once.
 */
export async function transitionReservation(tx: Tx, orderId: string, from: ReservationStatus, to: ReservationStatus): Promise<boolean> {
  const rows = await tx
    .update(orderReservations)
    .set({ status: to, updatedAt: sql`now()` })
    .where(and(eq(orderReservations.orderId, orderId), eq(orderReservations.status, from)))
    .returning({ orderId: orderReservations.orderId });
  return rows.length === 1;
}

/** The units an order holds, in productId order. */
export async function findReservationLines(tx: Tx, orderId: string): Promise<StockLine[]> {
  return tx
    .select({ productId: reservationLines.productId, quantity: reservationLines.quantity })
    .from(reservationLines)
    .where(eq(reservationLines.orderId, orderId))
    .orderBy(reservationLines.productId);
}
