// Tables of the orders module, all in the `orders` Postgres schema. Products and customers are
// referenced by id only: they live in other modules (maybe other databases), so no foreign keys
// cross schemas.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgSchema, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../platform/events/inbox.js';
import { ORDER_STATUSES, type OrderStatus } from '../domain/order-status.js';
import type { ShippingAddress } from '../domain/order.js';

export const ordersSchema = pgSchema('orders');

const timestampMs = (name: string) => timestamp(name, { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const orders = ordersSchema.table(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id').notNull(),
    status: text('status').$type<OrderStatus>().notNull().default('pending'),
    // bigint: 100 units × 50 lines of an expensive product overflow a 32-bit integer of cents.
    totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>().notNull(),
    createdAt: timestampMs('created_at'),
    updatedAt: timestampMs('updated_at'),
  },
  (table) => [
    // One per list query: a customer's own orders, everybody's (admin), and the status filter.
    index('orders_customer_page_idx').on(table.customerId, table.createdAt, table.id),
    index('orders_page_idx').on(table.createdAt, table.id),
    index('orders_status_idx').on(table.status),
    // Last line of defence: the service never writes these, a bug or a manual fix might.
    check('orders_status_check', sql`${table.status} in (${sql.raw(ORDER_STATUSES.map((status) => `'${status}'`).join(', '))})`),
    check('orders_total_check', sql`${table.totalCents} >= 0`),
    check('orders_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const orderItems = ordersSchema.table(
  'order_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: uuid('product_id').notNull(),
    // The line's place in the order as placed, so it reads back in the customer's order.
    position: smallint('position').notNull(),
    quantity: integer('quantity').notNull(),
    // The price at order time, copied from the products module: later price changes do not
    // touch placed orders.
    unitPriceCents: bigint('unit_price_cents', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.productId] }),
    check('order_items_quantity_check', sql`${table.quantity} between 1 and 100`),
    check('order_items_unit_price_check', sql`${table.unitPriceCents} >= 0`),
  ],
);

// The orders module's own copy of each customer's username (fed by users events), so an order can
// still name its customer when the users module cannot answer.
export const customers = ordersSchema.table('customers', {
  userId: uuid('user_id').primaryKey(),
  username: text('username').notNull(),
  updatedAt: timestampMs('updated_at'),
});

export const inbox = inboxTable(ordersSchema);

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
