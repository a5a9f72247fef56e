// Queries on the payments module's copy of orders. Every function takes the connection or
// transaction to run on.
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../platform/db/database.js';
import type { PayableOrderStatus } from '../domain/payable-order.js';
import { payableOrders, type PayableOrderRow } from './schema.js';

type Runner = Db | Tx;

/** Records a newly placed order as pending; false when it was already known (a redelivery). */
export async function insertPayableOrder(
  runner: Runner,
  order: { orderId: string; customerId: string; totalCents: number; currency: string },
): Promise<boolean> {
  const rows = await runner
    .insert(payableOrders)
    .values({ ...order, status: 'pending' })
    .onConflictDoNothing({ target: payableOrders.orderId })
    .returning({ orderId: payableOrders.orderId });
  return rows.length > 0;
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

export async function setPayableOrderStatus(tx: Tx, orderId: string, status: PayableOrderStatus): Promise<void> {
  await tx.update(payableOrders).set({ status, updatedAt: sql`now()` }).where(eq(payableOrders.orderId, orderId));
}
