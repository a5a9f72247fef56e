// Helpers for the products module's tests: product fixtures through the public API, the orders
// and payments events products reacts to (published through the module test harness, as those
// modules would publish them), reads of the inventory tables and waits on them. Test-only code:
// the production build leaves *.test-support.ts files out.
import { randomUUID } from 'node:crypto';
import { OrdersEvents } from '../orders/api.js';
import { PaymentsEvents } from '../payments/api.js';
import { appliedCount } from '../../../test/support/deliveries.js';
import type { Scenario } from '../../../test/support/module-test.js';
import type { TestApp } from '../../../test/support/test-app.js';
import type { Upstream } from '../../../test/support/upstream-events.js';
import { waitFor } from '../../../test/support/wait-for.js';
import type { ReservationStatus, StockLine } from './domain/reservation.js';

type Auth = { authorization: string };

let counter = 0;

/** A valid product body, unique SKU across the run. */
export function newProductInput(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    sku: `SKU-${process.pid}-${Date.now().toString(36)}-${counter}`,
    name: `Product ${counter}`,
    description: 'A fine product',
    priceCents: 1999,
    currency: 'USD',
    stock: 10,
    ...overrides,
  };
}

export interface CreatedProduct {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
  reserved: number;
}

/** Creates a product as the admin; fails the test on anything but 201. */
export async function createProduct(app: TestApp, admin: Auth, overrides: Record<string, unknown> = {}): Promise<CreatedProduct> {
  const response = await app.server.inject({ method: 'POST', url: '/api/v1/products', headers: admin, payload: newProductInput(overrides) });
  if (response.statusCode !== 201) throw new Error(`create product failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** orders.order-placed's data, as the contract has it, for these lines. */
export function orderPlacedData(lines: StockLine[], orderId: string = randomUUID()) {
  const items = lines.map((line) => ({ ...line, unitPriceCents: 1000 }));
  return {
    orderId,
    customerId: randomUUID(),
    items,
    totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    currency: 'USD',
  };
}

/** Publishes orders.order-placed with the contract's data for these lines; returns its data. */
export async function placeOrder(upstream: Upstream, lines: StockLine[], orderId: string = randomUUID()) {
  const data = orderPlacedData(lines, orderId);
  await upstream.publish(OrdersEvents.orderPlaced, data);
  return data;
}

export async function cancelOrder(upstream: Upstream, orderId: string, previousStatus: 'pending' | 'awaiting_payment' = 'awaiting_payment'): Promise<void> {
  await upstream.publish(OrdersEvents.orderCancelled, { orderId, customerId: randomUUID(), previousStatus });
}

export async function payOrder(upstream: Upstream, orderId: string): Promise<void> {
  await upstream.publish(OrdersEvents.orderPaid, { orderId, paymentId: randomUUID() });
}

export async function refundOrder(upstream: Upstream, orderId: string, fullyRefunded: boolean, amountCents = 1000): Promise<void> {
  await upstream.publish(PaymentsEvents.paymentRefunded, { paymentId: randomUUID(), orderId, refundId: randomUUID(), amountCents, fullyRefunded });
}

/** stock and reserved of a product, straight from its table. */
export async function stockOf(app: TestApp, productId: string): Promise<{ stock: number; reserved: number }> {
  const [row] = await app.database.sql<Array<{ stock: number; reserved: number }>>`
    select stock, reserved from products.products where id = ${productId}`;
  if (!row) throw new Error(`no product ${productId}`);
  return { stock: row.stock, reserved: row.reserved };
}

/** The order's reservation record and lines, or null when the module has none. */
export async function reservationOf(app: TestApp, orderId: string): Promise<{ status: ReservationStatus; lines: StockLine[] } | null> {
  const [record] = await app.database.sql<Array<{ status: ReservationStatus }>>`
    select status from products.order_reservations where order_id = ${orderId}`;
  if (!record) return null;
  const lines = await app.database.sql<Array<{ product_id: string; quantity: number }>>`
    select product_id, quantity from products.reservation_lines where order_id = ${orderId} order by product_id`;
  return { status: record.status, lines: lines.map((line) => ({ productId: line.product_id, quantity: line.quantity })) };
}

/** How many events a products subscription (e.g. `products.release-stock-on-cancel`) has applied. */
export async function handledCount(app: TestApp, subscription: string): Promise<number> {
  return appliedCount(app.databaseUrl, subscription);
}

export const SUBSCRIPTIONS = {
  reserve: 'products.reserve-stock',
  release: 'products.release-stock-on-cancel',
  commit: 'products.commit-stock-on-payment',
  restock: 'products.restock-on-refund',
} as const;

/** Publishes through `publishing` and waits until `subscription` has applied `count` more events. */
export async function applied(app: TestApp, subscription: string, count: number, publishing: () => Promise<unknown>): Promise<void> {
  const before = await handledCount(app, subscription);
  await publishing();
  await waitFor(async () => (await handledCount(app, subscription)) >= before + count, { what: `${count} events applied by ${subscription}` });
}

/** Waits until the order's reservation record has the given status. */
export async function reservationReaches(app: TestApp, orderId: string, status: ReservationStatus): Promise<void> {
  await waitFor(async () => (await reservationOf(app, orderId))?.status === status, { what: `order ${orderId} ${status}` });
}

/** Publishes orders.order-placed for these lines and waits until they are reserved; returns the order's id. */
export async function reservedOrder(scenario: Pick<Scenario, 'app' | 'publish'>, lines: StockLine[]): Promise<string> {
  const order = await placeOrder(scenario, lines);
  await reservationReaches(scenario.app, order.orderId, 'reserved');
  return order.orderId;
}
