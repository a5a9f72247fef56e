// Many orders racing for the last units: exactly as many are reserved as there are units, every
// other order is rejected, and available stock (stock - reserved) never goes below zero.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersEvents } from '../../orders/api.js';
import { ProductsEvents } from '../api.js';
import { connectDatabase } from '../../../platform/db/database.js';
import { createEnvelope } from '../../../platform/events/event-envelope.js';
import { createLogger } from '../../../platform/logging/logger.js';
import { startModuleTest, type Replica, type Scenario } from '../../../../test/support/module-test.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { cancelOrder, createProduct, handledCount, placeOrder, stockOf, SUBSCRIPTIONS } from '../products.test-support.js';
import { reserveStockOnOrderPlaced } from './order-placed.handler.js';

const ORDERS = 50;
const STOCK = 10;

describe('orders racing for the last units', () => {
  let scenario: Scenario;
  let app: TestApp;
  let replica: Replica;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
    // A second process on the same database, as a replica would be: its workers take order-placed
    // events from the same queue at the same time as the first one's.
    replica = await scenario.startReplica();
  });
  afterAll(() => scenario?.close());

  it(`reserves exactly ${STOCK} of ${ORDERS} concurrent single-unit orders and rejects the other ${ORDERS - STOCK}`, async () => {
    const product = await createProduct(app, admin, { stock: STOCK });
    const orderIds: string[] = Array.from({ length: ORDERS }, () => randomUUID());

    // Watch availability while the orders are handled.
    let lowestAvailable = Infinity;
    let highestReserved = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const { stock, reserved } = await stockOf(app, product.id);
        lowestAvailable = Math.min(lowestAvailable, stock - reserved);
        highestReserved = Math.max(highestReserved, reserved);
      }
    })();

    await Promise.all(orderIds.map((orderId, i) => placeOrder(i % 2 === 0 ? scenario : replica, [{ productId: product.id, quantity: 1 }], orderId)));
    const records = await waitFor(
      async () => {
        const rows = await query<{ status: string; count: number }>(
          app.databaseUrl,
          'select status, count(*)::int as count from products.order_reservations where order_id = any($1::uuid[]) group by status',
          [orderIds],
        );
        return rows.reduce((sum, row) => sum + row.count, 0) === ORDERS && rows;
      },
      { timeoutMs: 45_000, what: `${ORDERS} order_reservations rows` },
    );
    watching = false;
    await watcher;

    expect(Object.fromEntries(records.map((row) => [row.status, row.count]))).toEqual({ reserved: STOCK, rejected: ORDERS - STOCK });
    expect(await stockOf(app, product.id)).toEqual({ stock: STOCK, reserved: STOCK });
    expect(lowestAvailable).toBeGreaterThanOrEqual(0);
    expect(highestReserved).toBeLessThanOrEqual(STOCK);

    const ours = (data: { orderId: string }) => orderIds.includes(data.orderId);
    const [reserved, rejected] = await scenario.eventually(
      async () => {
        const answers = [await scenario.publishedSoFar(ProductsEvents.stockReserved, ours), await scenario.publishedSoFar(ProductsEvents.stockRejected, ours)] as const;
        return answers[0].length + answers[1].length >= ORDERS && answers;
      },
      { what: `${ORDERS} stock answers` },
    );
    expect(reserved).toHaveLength(STOCK);
    expect(rejected).toHaveLength(ORDERS - STOCK);
    expect(new Set([...reserved, ...rejected].map((event) => event.data.orderId)).size).toBe(ORDERS);
    for (const event of rejected) {
      expect(event.data).toEqual({
        orderId: expect.any(String),
        reason: 'insufficient_stock',
        lines: [{ productId: product.id, requested: 1, available: 0 }],
      });
    }
  });

  it(`holds ${STOCK} units, no more, when ${ORDERS} handler transactions run at the same moment`, async () => {
    // The handler straight on a pool of its own, every transaction open at once: the guarded
    // UPDATE, not the queue's pace, is what keeps the stock whole.
    const product = await createProduct(app, admin, { stock: STOCK });
    const database = connectDatabase(app.databaseUrl, { max: ORDERS });
    const logger = createLogger({ level: 'silent', pretty: false });
    const published: Array<{ type: string; data: unknown }> = [];
    try {
      await Promise.all(
        Array.from({ length: ORDERS }, async () => {
          const event = createEnvelope('orders', OrdersEvents.orderPlaced.type, {
            orderId: randomUUID(),
            customerId: randomUUID(),
            items: [{ productId: product.id, quantity: 1, unitPriceCents: 100 }],
            totalCents: 100,
            currency: 'USD',
          });
          await database.db.transaction((tx) =>
            reserveStockOnOrderPlaced.handler(event, {
              tx,
              logger,
              publish: async (definition, data) => {
                published.push({ type: definition.type, data });
                return randomUUID();
              },
              schedule: () => Promise.reject(new Error('products has no timers')),
            }),
          );
        }),
      );
    } finally {
      await database.close();
    }
    expect(published.filter((event) => event.type === 'products.stock-reserved')).toHaveLength(STOCK);
    expect(published.filter((event) => event.type === 'products.stock-rejected')).toHaveLength(ORDERS - STOCK);
    expect(await stockOf(app, product.id)).toEqual({ stock: STOCK, reserved: STOCK });
  });

  it('never lets two multi-line orders that lock the same products in opposite line order deadlock or oversell', async () => {
    const first = await createProduct(app, admin, { stock: 5 });
    const second = await createProduct(app, admin, { stock: 5 });
    const orders = Array.from({ length: 20 }, (_, i) => ({
      orderId: randomUUID(),
      lines: i % 2 === 0
        ? [{ productId: first.id, quantity: 1 }, { productId: second.id, quantity: 1 }]
        : [{ productId: second.id, quantity: 1 }, { productId: first.id, quantity: 1 }],
    }));
    await Promise.all(orders.map((order, i) => placeOrder(i % 2 === 0 ? scenario : replica, order.lines, order.orderId)));
    const statuses = await waitFor(
      async () => {
        const rows = await query<{ status: string }>(app.databaseUrl, 'select status from products.order_reservations where order_id = any($1::uuid[])', [
          orders.map((order) => order.orderId),
        ]);
        return rows.length === orders.length && rows.map((row) => row.status);
      },
      { timeoutMs: 45_000, what: 'every order answered' },
    );
    expect(statuses.filter((status) => status === 'reserved')).toHaveLength(5);
    expect(await stockOf(app, first.id)).toEqual({ stock: 5, reserved: 5 });
    expect(await stockOf(app, second.id)).toEqual({ stock: 5, reserved: 5 });
  });

  it('leaves nothing reserved when each order’s cancel races its order-placed, whichever is handled first', async () => {
    const product = await createProduct(app, admin, { stock: 100 });
    const orderIds: string[] = Array.from({ length: 20 }, () => randomUUID());
    const placedBefore = await handledCount(app, SUBSCRIPTIONS.reserve);
    const cancelledBefore = await handledCount(app, SUBSCRIPTIONS.release);
    await Promise.all(
      orderIds.flatMap((orderId, i) => [
        placeOrder(i % 2 === 0 ? scenario : replica, [{ productId: product.id, quantity: 2 }], orderId),
        cancelOrder(i % 2 === 0 ? replica : scenario, orderId, 'pending'),
      ]),
    );
    const statuses = await waitFor(
      async () => {
        const rows = await query<{ status: string }>(app.databaseUrl, 'select status from products.order_reservations where order_id = any($1::uuid[])', [orderIds]);
        const settled = rows.length === orderIds.length && rows.every((row) => row.status === 'released' || row.status === 'cancelled_before_reservation');
        return settled && rows.map((row) => row.status);
      },
      { timeoutMs: 45_000, what: 'every order released or cancelled before reservation' },
    );
    // Every event applied, so no late order-placed is still to come.
    await waitFor(
      async () =>
        (await handledCount(app, SUBSCRIPTIONS.reserve)) >= placedBefore + orderIds.length &&
        (await handledCount(app, SUBSCRIPTIONS.release)) >= cancelledBefore + orderIds.length,
      { what: 'every order-placed and order-cancelled applied' },
    );
    expect(statuses).toHaveLength(orderIds.length);
    expect(await stockOf(app, product.id)).toEqual({ stock: 100, reserved: 0 });
  });
});
