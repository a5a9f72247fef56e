// Helpers for the products module's tests: product fixtures through the public API, events
// published as orders and payments would publish them, reads of the inventory tables and waits
// on them. Test-only code: the production build leaves *.test-support.ts files out.
import { randomUUID } from 'node:crypto';
import type { App } from '../../app.js';
import { ALL_MODULES } from '../../module-registry.js';
import type { EventData, EventDefinition } from '../../platform/events/event-definition.js';
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { OrdersEvents } from '../orders/api.js';
import { PAYMENTS_PUBLISHES, PaymentsEvents } from '../payments/api.js';
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
export async function createProduct(app: App, admin: Auth, overrides: Record<string, unknown> = {}): Promise<CreatedProduct> {
  const response = await app.server.inject({ method: 'POST', url: '/api/v1/products', headers: admin, payload: newProductInput(overrides) });
  if (response.statusCode !== 201) throw new Error(`create product failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

// Stand-ins for the orders and payments modules: they only publish their events, as the tests
// tell them to. The products module is tested against the event contract, not against whatever
// the real orders and payments modules happen to do with the events products publishes back.
const standIn = (name: 'orders' | 'payments', publishes: readonly EventDefinition[]): ModuleDefinition => ({
  name,
  schema: name,
  routePrefixes: [],
  publishes,
  needs: [],
  create: () => ({ routes: async () => {} }),
});
const STAND_INS = [
  standIn('orders', Object.values(OrdersEvents)),
  standIn('payments', PAYMENTS_PUBLISHES),
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
export async function publishAs<Definition extends EventDefinition>(app: App, source: 'orders' | 'payments', event: Definition, data: EventData<Definition>): Promise<void> {
  await app.bus.transaction(source, (_tx, publish) => publish(event, data));
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
  await publishAs(app, 'orders', OrdersEvents.orderPlaced, data);
  return data;
}

export async function cancelOrder(app: App, orderId: string, previousStatus: 'pending' | 'awaiting_payment' = 'awaiting_payment'): Promise<void> {
  await publishAs(app, 'orders', OrdersEvents.orderCancelled, { orderId, customerId: randomUUID(), previousStatus });
}

export async function payOrder(app: App, orderId: string): Promise<void> {
  await publishAs(app, 'orders', OrdersEvents.orderPaid, { orderId, paymentId: randomUUID() });
}

export async function refundOrder(app: App, orderId: string, fullyRefunded: boolean, amountCents = 1000): Promise<void> {
  await publishAs(app, 'payments', PaymentsEvents.paymentRefunded, { paymentId: randomUUID(), orderId, refundId: randomUUID(), amountCents, fullyRefunded });
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

/** Publishes through `publishing` and waits until `subscription` has applied `count` more events. */
export async function applied(app: App, subscription: string, count: number, publishing: () => Promise<unknown>): Promise<void> {
  const before = await handledCount(app, subscription);
  await publishing();
  await waitFor(async () => (await handledCount(app, subscription)) >= before + count, { what: `${count} events applied by ${subscription}` });
}

/** Waits until the order's reservation record has the given status. */
export async function reservationReaches(app: App, orderId: string, status: ReservationStatus): Promise<void> {
  await waitFor(async () => (await reservationOf(app, orderId))?.status === status, { what: `order ${orderId} ${status}` });
}

/** Publishes orders.order-placed for these lines and waits until they are reserved; returns the order's id. */
export async function reservedOrder(app: App, lines: StockLine[]): Promise<string> {
  const order = await placeOrder(app, lines);
  await reservationReaches(app, order.orderId, 'reserved');
  return order.orderId;
}
