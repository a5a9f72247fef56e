// Tables of the payments module, all in the `payments` Postgres schema. Order ids and customer ids
// point into other modules, so they are plain uuids: no foreign key leaves this schema.
import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../platform/events/inbox.js';
import type { PayableOrderStatus, StockFact } from '../domain/payable-order.js';
import type { PaymentStatus } from '../domain/payment.js';

export const paymentsSchema = pgSchema('payments');

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, precision: 3 }).notNull().defaultNow();
// Minor units as bigint read back as JS numbers: exact up to 2^53, far past any real amount.
const cents = (name: string) => bigint(name, { mode: 'number' });

/**
 * The copy of each order this module charges for, fed by orders and products events. Each event
 * adds the facts it brings, in whatever order they arrive (so the order-placed facts may still be
 * missing), and `status` is always derived from the facts (domain/payable-order.ts).
 */
export const payableOrders = paymentsSchema.table(
  'payable_orders',
  {
    orderId: uuid('order_id').primaryKey(),
    customerId: uuid('customer_id'),
    totalCents: cents('total_cents'),
    currency: char('currency', { length: 3 }),
    stock: text('stock').$type<StockFact>(),
    cancelled: boolean('cancelled').notNull().default(false),
    paid: boolean('paid').notNull().default(false),
    status: text('status').$type<PayableOrderStatus>().notNull(),
    updatedAt: timestamptz('updated_at'),
  },
  (table) => [
    check('payable_orders_status_check', sql`${table.status} in ('pending', 'awaiting_payment', 'paid', 'rejected', 'cancelled')`),
    check('payable_orders_total_check', sql`${table.totalCents} >= 0`),
    check('payable_orders_stock_check', sql`${table.stock} in ('reserved', 'rejected')`),
  ],
);

/** Every charge attempt, declined ones included. Only the card's last four digits are kept. */
export const payments = paymentsSchema.table(
  'payments',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    amountCents: cents('amount_cents').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status').$type<PaymentStatus>().notNull(),
    failureReason: text('failure_reason'),
    cardLast4: char('card_last4', { length: 4 }).notNull(),
    refundedCents: cents('refunded_cents').notNull().default(0),
    createdAt: timestamptz('created_at'),
    updatedAt: timestamptz('updated_at'),
  },
  (table) => [
    index('payments_order_page_idx').on(table.orderId, table.createdAt, table.id),
    // The last line of defence against charging one order twice: at most one payment that took money.
    uniqueIndex('payments_one_charge_per_order_key')
      .on(table.orderId)
      .where(sql`${table.status} in ('succeeded', 'refunded', 'partially_refunded')`),
    check('payments_status_check', sql`${table.status} in ('succeeded', 'failed', 'refunded', 'partially_refunded')`),
    check('payments_amount_check', sql`${table.amountCents} > 0`),
    check('payments_refunded_check', sql`${table.refundedCents} >= 0 and ${table.refundedCents} <= ${table.amountCents}`),
    check('payments_card_last4_check', sql`${table.cardLast4} ~ '^[0-9]{4}$'`),
  ],
);

export const refunds = paymentsSchema.table(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amountCents: cents('amount_cents').notNull(),
    createdAt: timestamptz('created_at'),
  },
  (table) => [index('refunds_payment_idx').on(table.paymentId, table.createdAt), check('refunds_amount_check', sql`${table.amountCents} > 0`)],
);

/**
 * One row per (customer, Idempotency-Key): the request's fingerprint and the response it got.
 * The row is inserted first in the paying transaction, so a concurrent twin waits on the key and
 * then reads the committed response; the response columns are filled before that commit.
 */
export const idempotencyKeys = paymentsSchema.table(
  'idempotency_keys',
  {
    customerId: uuid('customer_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamptz('created_at'),
  },
  (table) => [primaryKey({ columns: [table.customerId, table.key] })],
);

export const inbox = inboxTable(paymentsSchema);

export type PayableOrderRow = typeof payableOrders.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
