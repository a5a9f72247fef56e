// Queries on the payments module's copy of orders. Every function takes the connection or
// transaction to run on.
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../platform/db/database.js';
import { NO_FACTS, payableStatus, type PayableOrderFacts, type PayableOrderStatus } from '../domain/payable-order.js';
import { payableOrders, type PayableOrderRow } from './schema.js';

type Runner = Db | Tx;

/**
 * Makes sure the order has a row (with no facts yet) and locks it until the transaction ends, so
 * events and payments of one order queue up. Two transactions creating the row at once: the second
 * waits on the first's insert and then locks the row it committed.
 */
export async function lockOrCreatePayableOrder(tx: Tx, orderId: string): Promise<PayableOrderRow> {
  await tx
    .insert(payableOrders)
    .values({ orderId, status: payableStatus(NO_FACTS) })
    .onConflictDoNothing({ target: payableOrders.orderId });
  return (await lockPayableOrder(tx, orderId))!;
}

export async function findPayableOrder(runner: Runner, orderId: string): Promise<PayableOrderRow | null> {
  const [row] = await runner.select().from(payableOrders).where(eq(payableOrders.orderId, orderId));
  return row ?? null;
}

/** The order, locked until the transaction ends: payments and status events on it queue up. */
export async function lockPayableOrder(tx: Tx, orderId: string): Promise<PayableOrderRow | null> {
  const [row] = await tx.select().from(payableOrders).where(eq(payableOrders.orderId, orderId)).for('update');
  return row ?? null;
}

/** Stores the order's facts together with the status they add up to. */
export async function savePayableOrderFacts(tx: Tx, orderId: string, facts: PayableOrderFacts): Promise<PayableOrderStatus> {
  const status = payableStatus(facts);
  await tx
    .update(payableOrders)
    .set({ ...facts, status, updatedAt: sql`now()` })
    .where(eq(payableOrders.orderId, orderId));
  return status;
}
