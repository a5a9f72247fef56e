// Helpers for the products module's tests: product fixtures through the public API, events
// published as orders and payments would publish them, and reads of the inventory tables.
// Imports only src/ code so that the production build (which compiles every non-test file under
// src/) still compiles; the polling and app start-up helpers come from test/support in the tests.
import { randomUUID } from 'node:crypto';
import { ALL_MODULES, type App } from '../../app.js';
import type { EventEnvelope } from '../../platform/events/event-envelope.js';
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
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
export async function createProduct(app: App, admin: Auth, overrides: Record<string, unknown> = {}): Promise<CreatedProduct> {
  const response = await app.server.inject({ method: 'POST', url: '/api/v1/products', headers: admin, payload: newProductInput(overrides) });
  if (response.statusCode !== 201) throw new Error(`create product failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

// Event types other modules publish, spelled out here: importing their index.ts would make the
// module graph cyclic (orders needs products).
const ORDER_PLACED = 'orders.order-placed';
const ORDER_CANCELLED = 'orders.order-cancelled';
const ORDER_PAID = 'orders.order-paid';
const PAYMENT_REFUNDED = 'payments.payment-refunded';

// Stand-ins for the orders and payments modules: they only publish their events, as the tests
// tell them to. The products module is tested against the event contract, not against whatever
// the real orders and payments modules happen to do with the events products publishes back.
const standIn = (name: 'orders' | 'payments', publishes: string[]): ModuleDefinition => ({
  name,
  schema: name,
  routePrefixes: [],
  publishes,
  needs: [],
  create: () => ({ routes: async () => {} }),
});
const STAND_INS = [
  standIn('orders', [ORDER_PLACED, ORDER_CANCELLED, ORDER_PAID]),
  standIn('payments', ['payments.payment-succeeded', 'payments.payment-failed', PAYMENT_REFUNDED]),
];

/**
 * startTestApp options hosting users and products for real, stand-ins for orders and payments,
 * and any fixture modules given.
 */
export function productsTestModules(fixtures: ModuleDefinition[] = []) {
  const real = ALL_MODULES.filter((definition) => definition.name === 'users' || definition.name === 'products');
  return {
    definitions: [...real, ...STAND_INS, ...fixtures],
    hostedModules: ['users', 'products', 'orders', 'payments', ...fixtures.map((fixture) => fixture.name)],
  };
}

/** Publishes an event as its owning module would: stored in one transaction, then delivered. */
export async function publishAs(app: App, source: 'orders' | 'payments', type: string, data: unknown): Promise<void> {
  await app.bus.transaction(source, (_tx, publish) => publish(type, data));
}

/** Publishes orders.order-placed with the contract's data for these lines; returns its data. */
export async function placeOrder(app: App, lines: StockLine[], orderId: string = randomUUID()) {
  const items = lines.map((line) => ({ ...line, unitPriceCents: 1000 }));
  const data = {
    orderId,
    customerId: randomUUID(),
    items,
    totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    currency: 'USD',
  };
  await publishAs(app, 'orders', ORDER_PLACED, data);
  return data;
}

export async function cancelOrder(app: App, orderId: string, previousStatus: 'pending' | 'awaiting_payment' = 'awaiting_payment'): Promise<void> {
  await publishAs(app, 'orders', ORDER_CANCELLED, { orderId, customerId: randomUUID(), previousStatus });
}

export async function payOrder(app: App, orderId: string): Promise<void> {
  await publishAs(app, 'orders', ORDER_PAID, { orderId, paymentId: randomUUID() });
}

export async function refundOrder(app: App, orderId: string, fullyRefunded: boolean, amountCents = 1000): Promise<void> {
  await publishAs(app, 'payments', PAYMENT_REFUNDED, { paymentId: randomUUID(), orderId, refundId: randomUUID(), amountCents, fullyRefunded });
}

/** stock and reserved of a product, straight from its table. */
export async function stockOf(app: App, productId: string): Promise<{ stock: number; reserved: number }> {
  const [row] = await app.database.sql<Array<{ stock: number; reserved: number }>>`
    select stock, reserved from products.products where id = ${productId}`;
  if (!row) throw new Error(`no product ${productId}`);
  return { stock: row.stock, reserved: row.reserved };
}

/** The order's reservation record and lines, or null when the module has none. */
export async function reservationOf(app: App, orderId: string): Promise<{ status: ReservationStatus; lines: StockLine[] } | null> {
  const [record] = await app.database.sql<Array<{ status: ReservationStatus }>>`
    select status from products.order_reservations where order_id = ${orderId}`;
  if (!record) return null;
  const lines = await app.database.sql<Array<{ product_id: string; quantity: number }>>`
    select product_id, quantity from products.reservation_lines where order_id = ${orderId} order by product_id`;
  return { status: record.status, lines: lines.map((line) => ({ productId: line.product_id, quantity: line.quantity })) };
}

/** How many events a products subscription (e.g. `products.release-stock-on-cancel`) has applied. */
export async function handledCount(app: App, subscription: string): Promise<number> {
  const [row] = await app.database.sql<Array<{ count: number }>>`
    select count(*)::int as count from products.inbox where subscription = ${subscription}`;
  return row!.count;
}

export const SUBSCRIPTIONS = {
  reserve: 'products.reserve-stock',
  release: 'products.release-stock-on-cancel',
  commit: 'products.commit-stock-on-payment',
  restock: 'products.restock-on-refund',
} as const;

/**
 * A fixture module that records every products event it receives, as another module's
 * subscriber would. Its schema and inbox must exist before the app starts: run `setupSql` on the
 * test database first (test databases are migrated from migrations/ only).
 */
export function productsEventProbe(schema: string) {
  const received: EventEnvelope[] = [];
  const definition: ModuleDefinition = {
    name: 'probe',
    schema,
    routePrefixes: [],
    publishes: [],
    needs: [],
    create: () => ({
      routes: async () => {},
      subscriptions: [{ name: 'products-events', pattern: 'products.*', handler: async (event) => void received.push(event) }],
    }),
  };
  const setupSql = `create schema ${schema};
    create table ${schema}.inbox (event_id uuid not null, subscription text not null, event_type text not null,
      handled_at timestamptz not null default now(), primary key (subscription, event_id))`;
  return { definition, received, setupSql };
}
