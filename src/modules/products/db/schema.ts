// Tables of the products module, all in the `products` Postgres schema.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../platform/events/inbox.js';
import type { ReservationStatus } from '../domain/reservation.js';

export const productsSchema = pgSchema('products');

/** The most a 32-bit integer column (prices, stock, reserved units) holds. */
export const MAX_INTEGER = 2_147_483_647;

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const products = productsSchema.table(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    stock: integer('stock').notNull(),
    // Units promised to placed orders that are not yet paid for; available = stock - reserved.
    reserved: integer('reserved').notNull().default(0),
    createdAt: timestamptz('created_at'),
    updatedAt: timestamptz('updated_at'),
  },
  (table) => [
    uniqueIndex('products_sku_key').on(table.sku),
    // Keyset pagination walks (created_at, id) newest first.
    index('products_page_idx').on(table.createdAt, table.id),
    // `?q=` is a case-insensitive substring match on name or sku: trigram GIN serves ILIKE '%q%'.
    index('products_search_idx').using('gin', table.name.op('gin_trgm_ops'), table.sku.op('gin_trgm_ops')),
    // The database itself refuses overselling, whatever code path writes.
    check('products_stock_check', sql`${table.stock} >= 0`),
    check('products_reserved_check', sql`${table.reserved} >= 0`),
    check('products_reserved_within_stock_check', sql`${table.reserved} <= ${table.stock}`),
    check('products_price_cents_check', sql`${table.priceCents} > 0`),
    check('products_currency_check', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

// What the module did with each order's stock. One row per order makes every event's effect a
// guarded status transition, so duplicates and out-of-order arrivals change nothing twice.
export const orderReservations = productsSchema.table(
  'order_reservations',
  {
    orderId: uuid('order_id').primaryKey(),
    status: text('status').$type<ReservationStatus>().notNull(),
    // A full refund that arrived while the units were still only held (before order-paid): the
    // commit then puts them straight back, as if the refund had come after it.
    refundPending: boolean('refund_pending').notNull().default(false),
    createdAt: timestamptz('created_at'),
    updatedAt: timestamptz('updated_at'),
  },
  (table) => [
    check(
      'order_reservations_status_check',
      sql`${table.status} in ('reserved', 'rejected', 'committed', 'released', 'restocked', 'cancelled_before_reservation')`,
    ),
  ],
);

// The units each reserved order holds per product: what a release, commit or restock moves back.
export const reservationLines = productsSchema.table(
  'reservation_lines',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orderReservations.orderId, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.productId] }), check('reservation_lines_quantity_check', sql`${table.quantity} > 0`)],
);

export const inbox = inboxTable(productsSchema);

export type ProductRow = typeof products.$inferSelect;
export type OrderReservationRow = typeof orderReservations.$inferSelect;
