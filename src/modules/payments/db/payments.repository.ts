// Queries on payments and refunds. Every function takes the connection or transaction to run on.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../platform/db/database.js';
import { afterSortKey } from '../../../platform/db/keyset.js';
import type { SortKey } from '../../../platform/http/pagination.js';
import { REFUNDABLE_STATUSES, type Payment, type PaymentStatus } from '../domain/payment.js';
import { payments, refunds, type PaymentRow, type RefundRow } from './schema.js';

type Runner = Db | Tx;

/** A new payment: nothing refunded yet, and created now. */
export async function insertPayment(tx: Tx, payment: Omit<Payment, 'refundedCents' | 'createdAt'>): Promise<PaymentRow> {
  const [row] = await tx.insert(payments).values(payment).returning();
  return row!;
}

export async function findPayment(runner: Runner, id: string): Promise<PaymentRow | null> {
  const [row] = await runner.select().from(payments).where(eq(payments.id, id));
  return row ?? null;
}

/** The payment, locked until the transaction ends, so concurrent refunds see each other's sums. */
export async function lockPayment(tx: Tx, id: string): Promise<PaymentRow | null> {
  const [row] = await tx.select().from(payments).where(eq(payments.id, id)).for('update');
  return row ?? null;
}

/** The order's payments that still hold money, locked until the transaction ends. */
export async function lockRefundablePaymentsOfOrder(tx: Tx, orderId: string): Promise<PaymentRow[]> {
  return tx
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), inArray(payments.status, [...REFUNDABLE_STATUSES])))
    .orderBy(payments.createdAt, payments.id)
    .for('update');
}

/** Stores the refund and the payment's new refunded total and status together. */
export async function recordRefund(
  tx: Tx,
  refund: { id: string; paymentId: string; amountCents: number },
  after: { refundedCents: number; status: PaymentStatus },
): Promise<RefundRow> {
  const [row] = await tx.insert(refunds).values(refund).returning();
  await tx.update(payments).set({ ...after, updatedAt: sql`now()` }).where(eq(payments.id, refund.paymentId));
  return row!;
}

/** One page of an order's payments, newest first; fetches limit + 1 rows to tell if more exist. */
export async function listPaymentsOfOrder(runner: Runner, orderId: string, limit: number, after: SortKey | null): Promise<PaymentRow[]> {
  return runner
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), afterSortKey(payments, after)))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
}
