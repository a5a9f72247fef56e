// Queries of the orders module. Every function takes the connection or transaction to run on.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../platform/db/database.js';
import { afterSortKey } from '../../../platform/db/keyset.js';
import type { SortKey } from '../../../platform/http/pagination.js';
import type { Order, ShippingAddress } from '../domain/order.js';
import type { PricedLine } from '../domain/order-lines.js';
import type { OrderStatus } from '../domain/order-status.js';
import { customers, orderItems, orders, type OrderItemRow, type OrderRow } from './schema.js';

type Runner = Db | Tx;

// Orders that hold the customer's attention (and stock) until they are paid or cancelled.
const OPEN_STATUSES: OrderStatus[] = ['pending', 'awaiting_payment'];

export async function insertOrder(
  tx: Tx,
  order: { customerId: string; totalCents: number; currency: string; shippingAddress: ShippingAddress; items: PricedLine[] },
): Promise<Order> {
  const [row] = await tx
    .insert(orders)
    .values({ customerId: order.customerId, totalCents: order.totalCents, currency: order.currency, shippingAddress: order.shippingAddress })
    .returning();
  const items = await tx
    .insert(orderItems)
    .values(order.items.map((item, position) => ({ orderId: row!.id, position, ...item })))
    .returning();
  return withItems(row!, items);
}

/**
 * Makes the caller's transaction the only one placing orders for this customer until it ends, so
 * a count of the customer's open orders stays true until the new order is stored.
 */
export async function lockCustomerPlacements(tx: Tx, customerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('orders.placements'), hashtext(${customerId}))`);
}

/** Orders of the customer that still wait for stock or payment. */
export async function countOpenOrders(runner: Runner, customerId: string): Promise<number> {
  const [row] = await runner
    .select({ count: sql<number>`count(*)::int` })
    .from(orders)
    .where(and(eq(orders.customerId, customerId), inArray(orders.status, OPEN_STATUSES)));
  return row!.count;
}

export async function findOrder(runner: Runner, id: string): Promise<Order | null> {
  const [row] = await runner.select().from(orders).where(eq(orders.id, id));
  if (!row) return null;
  const items = await runner.select().from(orderItems).where(eq(orderItems.orderId, id));
  return withItems(row, items);
}

/**
 * The order row, locked until the transaction ends: status changes (the cancel call and event
 * handlers) read and write under this lock, so two of them cannot both act on the same status.
 */
export async function lockOrder(tx: Tx, id: string): Promise<OrderRow | null> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, id)).for('update');
  return row ?? null;
}

export async function updateStatus(tx: Tx, id: string, status: OrderStatus): Promise<void> {
  await tx.update(orders).set({ status, updatedAt: sql`now()` }).where(eq(orders.id, id));
}

/** One page of orders, newest first (optionally one customer's, one status); limit + 1 rows. */
export async function listOrders(
  runner: Runner,
  filter: { customerId?: string; status?: OrderStatus },
  limit: number,
  after: SortKey | null,
): Promise<Order[]> {
  const rows = await runner
    .select()
    .from(orders)
    .where(
      and(
        filter.customerId !== undefined ? eq(orders.customerId, filter.customerId) : undefined,
        filter.status !== undefined ? eq(orders.status, filter.status) : undefined,
        afterSortKey(orders, after),
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  if (rows.length === 0) return [];
  const items = await runner
    .select()
    .from(orderItems)
    .where(inArray(orderItems.orderId, rows.map((row) => row.id)));
  return rows.map((row) => withItems(row, items.filter((item) => item.orderId === row.id)));
}

/**
 * Records a customer's username as of `asOf` (the event's time). Users events may arrive out of
 * order, so an older name never replaces a newer one.
 */
export async function upsertCustomer(runner: Runner, customer: { userId: string; username: string; asOf: Date }): Promise<void> {
  await runner
    .insert(customers)
    .values({ userId: customer.userId, username: customer.username, updatedAt: customer.asOf })
    .onConflictDoUpdate({
      target: customers.userId,
      set: { username: sql`excluded.username`, updatedAt: sql`excluded.updated_at` },
      setWhere: sql`${customers.updatedAt} <= excluded.updated_at`,
    });
}

export async function findCustomer(runner: Runner, userId: string): Promise<{ id: string; username: string } | null> {
  const [row] = await runner.select({ id: customers.userId, username: customers.username }).from(customers).where(eq(customers.userId, userId));
  return row ?? null;
}

function withItems(row: OrderRow, items: OrderItemRow[]): Order {
  return {
    ...row,
    items: [...items]
      .sort((a, b) => a.position - b.position)
      .map((item) => ({ productId: item.productId, quantity: item.quantity, unitPriceCents: item.unitPriceCents })),
  };
}
