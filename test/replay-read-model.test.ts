// Replay: a module deployed after orders exist builds its read model from the event log's history.
// A sales report (a module of its own, as `npm run new:module` makes them) subscribes to
// orders.order-placed and payments.payment-succeeded with `from: 'beginning'`; started on a database
// where orders were placed and paid before it existed, it reports every one of them. Rewinding it
// (the admin endpoint and the operators' command line) makes it read them again.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { OrdersEvents } from '../src/modules/orders/api.js';
import { PaymentsEvents } from '../src/modules/payments/api.js';
import { ALL_MODULES } from '../src/module-registry.js';
import { on, type ModuleDefinition } from '../src/platform/modules/module-definition.js';
import { PROJECT_ROOT } from './support/child-process.js';
import type { TestApp } from './support/test-app.js';
import { query } from './support/test-database.js';
import { ADMIN_ENV, registerAndLogin, startAppWithAdmin, type Injector } from './support/users.js';
import { waitFor } from './support/wait-for.js';

const REPORT_SCHEMA = 'sales_report';
const REPORT = 'sales-report';
const PLACED = `${REPORT}.count-placed-orders`;

let handledPlaced = 0;
const salesReport: ModuleDefinition = {
  name: REPORT,
  schema: REPORT_SCHEMA,
  routePrefixes: [],
  publishes: [],
  needs: [],
  subscriptions: [
    {
      ...on(OrdersEvents.orderPlaced, 'count-placed-orders', async ({ data }, { tx }) => {
        handledPlaced += 1;
        await tx.execute(sql`
          insert into sales_report.sales (order_id, total_cents) values (${data.orderId}, ${data.totalCents})
          on conflict (order_id) do update set total_cents = excluded.total_cents`);
      }),
      from: 'beginning',
    },
    {
      ...on(PaymentsEvents.paymentSucceeded, 'count-paid-orders', async ({ data }, { tx }) => {
        // Its own subscription: it may see a payment before the other has seen the order.
        await tx.execute(sql`
          insert into sales_report.sales (order_id, paid_cents) values (${data.orderId}, ${data.amount.cents})
          on conflict (order_id) do update set paid_cents = excluded.paid_cents`);
      }),
      from: 'beginning',
    },
  ],
  create: () => ({ routes: async () => {} }),
};

async function createReportSchema(url: string): Promise<void> {
  await query(
    url,
    `create schema if not exists ${REPORT_SCHEMA};
     create table if not exists ${REPORT_SCHEMA}.sales (order_id uuid primary key, total_cents integer, paid_cents integer);
     create table if not exists ${REPORT_SCHEMA}.inbox (event_id uuid not null, subscription text not null, event_type text not null,
       handled_at timestamptz not null default now(), primary key (subscription, event_id))`,
  );
}

const report = (url: string) =>
  query<{ order_id: string; total_cents: number | null; paid_cents: number | null }>(url, `select order_id, total_cents, paid_cents from ${REPORT_SCHEMA}.sales order by order_id`);

async function placeOrders(client: Injector, admin: { authorization: string }, count: number, paid: number) {
  const product = await client.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: admin,
    payload: { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Report widget', priceCents: 1250, stock: 100 },
  });
  expect(product.statusCode).toBe(201);
  const orders: Array<{ id: string; totalCents: number; paid: boolean }> = [];
  for (let n = 0; n < count; n++) {
    // One customer per order: a customer may hold only a few unpaid orders at once.
    const customer = await registerAndLogin(client);
    const placed = await client.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: customer.auth,
      payload: { items: [{ productId: product.json().id, quantity: n + 1 }], shippingAddress: { street: '1 Main St', city: 'Springfield', zipCode: '12345', country: 'US' } },
    });
    expect(placed.statusCode).toBe(201);
    const orderId = placed.json().id as string;
    await waitFor(async () => (await client.inject({ url: `/api/v1/orders/${orderId}`, headers: customer.auth })).json().status === 'awaiting_payment', { what: `order ${orderId} awaiting payment` });
    const pay = n < paid;
    if (pay) {
      const payment = await client.inject({
        method: 'POST',
        url: '/api/v1/payments',
        headers: { ...customer.auth, 'idempotency-key': `replay-${randomUUID()}` },
        payload: { orderId, card: { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' } },
      });
      expect(payment.statusCode).toBe(201);
    }
    orders.push({ id: orderId, totalCents: placed.json().totalCents, paid: pay });
  }
  return orders;
}

describe('a read model built from the event log’s history', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('reports orders placed and paid before its module was deployed, and again after a rewind', async () => {
    const before = await startAppWithAdmin();
    apps.push(before.app);
    const url = before.app.databaseUrl;
    const orders = await placeOrders(before.client, before.admin, 3, 2);
    await before.app.close();
    apps.length = 0;

    // The new module is deployed: its schema migrated, then a process that hosts it.
    await createReportSchema(url);
    const after = await startAppWithAdmin({
      databaseUrl: url,
      definitions: [...ALL_MODULES, salesReport],
      hostedModules: [...ALL_MODULES.map(({ name }) => name), REPORT],
      env: ADMIN_ENV,
    });
    apps.push(after.app);
    const expected = orders
      .map(({ id, totalCents, paid }) => ({ order_id: id, total_cents: totalCents, paid_cents: paid ? totalCents : null }))
      .sort((a, b) => (a.order_id < b.order_id ? -1 : 1));
    await waitFor(async () => JSON.stringify(await report(url)) === JSON.stringify(expected), { what: 'the report of every earlier order' });
    expect(handledPlaced).toBe(3);

    // Rewound to the first event of the log, it reads history again (its handler is idempotent).
    const rewound = await after.client.inject({ method: 'POST', url: `/admin/v1/subscriptions/${PLACED}/rewind`, headers: after.admin, payload: { position: 1 } });
    expect(rewound.statusCode).toBe(200);
    expect(rewound.json()).toEqual({ subscription: PLACED, position: 0 });
    await waitFor(async () => handledPlaced === 6, { what: 'the three order-placed events read again' });
    expect(await report(url)).toEqual(expected);

    // The same through the operators' command line, by time.
    const cli = await promisify(execFile)(
      'node_modules/.bin/tsx',
      ['src/cli/dead-letters.ts', 'rewind', '--subscription', PLACED, '--to-time', new Date(0).toISOString()],
      { cwd: PROJECT_ROOT, env: { ...process.env, SHOP_URL: await listening(after.app), ADMIN_TOKEN: after.admin.authorization.slice('Bearer '.length) } },
    );
    expect(JSON.parse(cli.stdout)).toMatchObject({ subscription: PLACED });
    await waitFor(async () => handledPlaced === 9, { what: 'the three order-placed events read a third time' });

    // Refused: an unknown subscription, a position the log does not hold, a body that names neither.
    const unknown = await after.client.inject({ method: 'POST', url: '/admin/v1/subscriptions/nobody.nothing/rewind', headers: after.admin, payload: { position: 1 } });
    expect(unknown.statusCode).toBe(404);
    const nowhere = await after.client.inject({ method: 'POST', url: `/admin/v1/subscriptions/${PLACED}/rewind`, headers: after.admin, payload: { position: 1e9 } });
    expect(nowhere.statusCode).toBe(404);
    const neither = await after.client.inject({ method: 'POST', url: `/admin/v1/subscriptions/${PLACED}/rewind`, headers: after.admin, payload: {} });
    expect(neither.statusCode).toBe(400);
    expect(neither.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

/** The app listening on a loopback port, for the command line (an HTTP client). */
async function listening(app: TestApp): Promise<string> {
  return app.server.listen({ host: '127.0.0.1', port: 0 });
}
