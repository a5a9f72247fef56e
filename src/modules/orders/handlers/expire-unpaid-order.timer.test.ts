// An order left awaiting payment past ORDER_PAYMENT_TIMEOUT_SECONDS is cancelled by the system,
// once, through the durable bus (a delayed job written with the move to awaiting_payment), with
// the real products and payments modules: its stock is released as on a customer's cancel.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { ADMIN_ENV, registerAndLogin, startAppWithAdmin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { shippingAddress } from '../orders.test-support.js';
import { EXPIRE_UNPAID_ORDER } from './expire-unpaid-order.timer.js';

type Auth = { authorization: string };

const TIMER_QUEUE = `orders.timer.${EXPIRE_UNPAID_ORDER}`;
const ENV = { ORDER_PAYMENT_TIMEOUT_SECONDS: '2' };

let counter = 0;

async function createProduct(client: Injector, admin: Auth, stock: number): Promise<{ id: string }> {
  counter += 1;
  const response = await client.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: admin,
    payload: { sku: `EXP-${process.pid}-${Date.now().toString(36)}-${counter}`, name: `Expiry test product ${counter}`, priceCents: 1000, currency: 'USD', stock },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function placeAwaitingPayment(app: TestApp, client: Injector, customer: TestUser, productId: string): Promise<string> {
  const response = await client.inject({ method: 'POST', url: '/api/v1/orders', headers: customer.auth, payload: { items: [{ productId, quantity: 2 }], shippingAddress: shippingAddress() } });
  expect(response.statusCode, response.body).toBe(201);
  const orderId: string = response.json().id;
  await statusBecomes(app, orderId, 'awaiting_payment');
  return orderId;
}

const statusOf = async (app: TestApp, orderId: string) => (await query<{ status: string }>(app.databaseUrl, 'select status from orders.orders where id = $1', [orderId]))[0]?.status;
const statusBecomes = (app: TestApp, orderId: string, status: string) =>
  waitFor(async () => (await statusOf(app, orderId)) === status, { what: `order ${orderId} ${status}` });
// Through the products API: orders code reads no other module's tables.
const reservedOf = async (app: TestApp, productId: string): Promise<number> => (await app.server.inject({ url: `/api/v1/products/${productId}` })).json().reserved;

/** The expiry job of the order (keyed by its id), once pg-boss has run it to the end. */
const expiryRan = (app: TestApp, orderId: string) =>
  waitFor(
    async () => {
      const [job] = await query<{ state: string }>(app.databaseUrl, 'select state from pgboss.job where name = $1 and id = $2', [TIMER_QUEUE, orderId]);
      return job?.state === 'completed';
    },
    { what: `the expiry of order ${orderId} to run` },
  );

/** orders.order-cancelled events published for the order (one row each in the event log, whoever reads them). */
async function cancellations(app: TestApp, orderId: string): Promise<Array<{ reason?: string }>> {
  const rows = await query<{ data: { reason?: string } }>(
    app.databaseUrl,
    `select envelope->'data' as data from events.log
     where type = 'orders.order-cancelled' and envelope->'data'->>'orderId' = $1
     order by transaction_id, position`,
    [orderId],
  );
  return rows.map((row) => row.data);
}

describe('unpaid orders expire', () => {
  let app: TestApp;
  let client: Injector;
  let admin: Auth;
  let customer: TestUser;
  beforeAll(async () => ({ app, client, admin } = await startAppWithAdmin({ env: ENV })));
  afterAll(() => app.close());
  beforeEach(async () => {
    customer = await registerAndLogin(client);
  });

  it('cancels an order left awaiting payment, releases its stock and publishes one orders.order-cancelled', async () => {
    const product = await createProduct(client, admin, 5);
    const orderId = await placeAwaitingPayment(app, client, customer, product.id);
    await waitFor(async () => (await reservedOf(app, product.id)) === 2, { what: 'stock reserved' });

    await statusBecomes(app, orderId, 'cancelled');
    await waitFor(async () => (await reservedOf(app, product.id)) === 0, { what: 'stock released' });
    expect(await cancellations(app, orderId)).toEqual([expect.objectContaining({ previousStatus: 'awaiting_payment', reason: 'payment_timeout' })]);
  });

  it('leaves a paid order paid', async () => {
    const product = await createProduct(client, admin, 5);
    const orderId = await placeAwaitingPayment(app, client, customer, product.id);
    let attempt = 0;
    // Payments learns the order from events too; it may answer 409 until it has.
    await waitFor(
      async () => {
        const response = await client.inject({
          method: 'POST',
          url: '/api/v1/payments',
          headers: { ...customer.auth, 'idempotency-key': `pay-${orderId}-${(attempt += 1)}` },
          payload: { orderId, card: { number: '4242424242424242', expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123' } },
        });
        return response.statusCode === 201;
      },
      { intervalMs: 20, what: 'payments to accept the payment' },
    );
    await statusBecomes(app, orderId, 'paid');
    await expiryRan(app, orderId);
    expect(await statusOf(app, orderId)).toBe('paid');
    expect(await cancellations(app, orderId)).toEqual([]);
  });

  it('does not cancel again an order the customer cancelled', async () => {
    const product = await createProduct(client, admin, 5);
    const orderId = await placeAwaitingPayment(app, client, customer, product.id);
    const cancel = await client.inject({ method: 'POST', url: `/api/v1/orders/${orderId}/cancel`, headers: customer.auth });
    expect(cancel.statusCode, cancel.body).toBe(200);
    await expiryRan(app, orderId);
    expect(await cancellations(app, orderId)).toEqual([expect.objectContaining({ reason: 'requested' })]);
    await waitFor(async () => (await reservedOf(app, product.id)) === 0, { what: 'stock released' });
  });
});

describe('unpaid orders expire across a restart', () => {
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('cancels the order once, in the process started after the one that opened its payment window stopped', async () => {
    // A longer window, so the restart surely lands inside it.
    const env = { ORDER_PAYMENT_TIMEOUT_SECONDS: '4' };
    const started = await startAppWithAdmin({ env });
    first = started.app;
    const customer = await registerAndLogin(started.client);
    const product = await createProduct(started.client, started.admin, 5);
    const orderId = await placeAwaitingPayment(first, started.client, customer, product.id);
    await first.close();
    const [pending] = await query<{ state: string }>(first.databaseUrl, 'select state from pgboss.job where name = $1 and id = $2', [TIMER_QUEUE, orderId]);
    expect(pending?.state).toBe('created');

    second = await startTestApp({ env: { ...ADMIN_ENV, ...env }, databaseUrl: first.databaseUrl });
    expect(await statusOf(second, orderId)).toBe('awaiting_payment');
    await statusBecomes(second, orderId, 'cancelled');
    await expiryRan(second, orderId);
    await waitFor(async () => (await reservedOf(second!, product.id)) === 0, { what: 'stock released' });
    expect(await cancellations(second, orderId)).toHaveLength(1);
  });
});
