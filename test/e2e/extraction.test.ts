// What extraction promises, on real processes: a module whose process is down answers 503 through
// the gateway, compositions degrade instead of failing, internal routes take only well-addressed
// service tokens and are never forwarded, and events wait for a stopped process.
import { randomUUID } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signServiceToken } from '../../src/platform/remote/service-token.js';
import { TEST_SECRETS } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { startSplit, type Topology } from '../support/topology.js';
import { waitFor } from '../support/wait-for.js';
import { as, shopClient, type ShopClient } from './http-client.js';
import { adminToken, createProduct, E2E_ADMIN, registerCustomer, waitForOrderStatus } from './order-flow.scenario.js';

const address = { street: '2 Side Street', city: 'Shelbyville', zipCode: '54321', country: 'US' } as const;
const card = { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' };

describe('extraction', () => {
  let topology: Topology;
  let gateway: ShopClient;
  let ordersProcess: ShopClient;

  beforeAll(async () => {
    topology = await startSplit(await createTestDatabase(), {
      ADMIN_EMAIL: E2E_ADMIN.email,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      REMOTE_BREAKER_THRESHOLD: '2',
      REMOTE_BREAKER_HALF_OPEN_MS: '1000',
    });
    gateway = shopClient(topology.baseUrl);
    ordersProcess = shopClient(`http://127.0.0.1:${topology.processes.orders!.port}`);
  });
  afterAll(() => topology?.stop());

  const placeOrder = async (customerToken: string, productId: string) => {
    const placed = await gateway.orders.placeOrder({ items: [{ productId, quantity: 1 }], shippingAddress: address }, as(customerToken));
    expect(placed.status, JSON.stringify(placed.error)).toBe(201);
    return placed.data.id;
  };

  // Internal routes are not in the public document, hence not in the client: they are called raw.
  describe('service tokens on internal routes', () => {
    const internal = (path: string, token?: string) =>
      fetch(`${topology.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ args: [[]] }),
      });

    it('accepts a token from another module addressed to this one', async () => {
      const token = signServiceToken(TEST_SECRETS.serviceTokenSecret, { caller: 'orders', target: 'users' });
      const response = await internal('/internal/v1/users/get-public-profiles', token);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ result: [] });
    });

    it.each([
      ['missing', () => undefined],
      ['addressed to another module', () => signServiceToken(TEST_SECRETS.serviceTokenSecret, { caller: 'orders', target: 'products' })],
      ['signed with another secret', () => signServiceToken('x'.repeat(40), { caller: 'orders', target: 'users' })],
      [
        'expired',
        () => {
          const past = Math.floor(Date.now() / 1000) - 120;
          const sign = createSigner({ key: TEST_SECRETS.serviceTokenSecret, algorithm: 'HS256' });
          return sign({ iss: 'shop', sub: 'orders', aud: 'users', iat: past, exp: past + 60 });
        },
      ],
    ])('answers 401 to a service token that is %s', async (_case, token) => {
      const response = await internal('/internal/v1/users/get-public-profiles', token());
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('never forwards internal routes of a remote module through the gateway', async () => {
      const token = signServiceToken(TEST_SECRETS.serviceTokenSecret, { caller: 'products', target: 'orders' });
      expect((await internal('/internal/v1/orders/anything', token)).status).toBe(404);
      // A path no client method would build: sent raw.
      expect((await fetch(`${topology.baseUrl}/api/v1/orders/../../internal/v1/orders/anything`)).status).toBe(404);
    });
  });

  it('forwards x-request-id to the remote module and back', async () => {
    const response = await gateway.orders.listOrders({}, as(undefined, { 'x-request-id': 'trace-me-123' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('trace-me-123');
  });

  it('composes an order from a degraded view when users and products are down, opens the circuit, and recovers', async () => {
    const admin = await adminToken(gateway);
    const customer = await registerCustomer(gateway);
    const product = await createProduct(gateway, admin, 10);
    const orderId = await placeOrder(customer.token, product.id);
    // The orders process keeps its own copy of usernames, fed by users events.
    await waitFor(async () => {
      const order = await ordersProcess.orders.getOrder(orderId, as(customer.token));
      return order.status === 200 && order.data.customer?.username === customer.username && !order.data.degraded;
    }, { what: 'a complete composition' });

    await topology.stop('gateway');
    try {
      const degraded = await ordersProcess.orders.getOrder(orderId, as(customer.token));
      expect(degraded.status, JSON.stringify(degraded.error)).toBe(200);
      expect(degraded.data.degraded?.sort()).toEqual(['products', 'users']);
      expect(degraded.data.customer).toEqual({ id: customer.id, username: customer.username });
      // Two consecutive failures (REMOTE_BREAKER_THRESHOLD) open the circuit: calls then fail fast.
      await ordersProcess.orders.getOrder(orderId, as(customer.token));
      await topology.processes.orders!.child.waitForOutput(/circuit to the users module opened/, 10_000);
    } finally {
      await topology.restart('gateway');
    }
    const recovered = await waitFor(async () => {
      const order = await gateway.orders.getOrder(orderId, as(customer.token));
      return order.status === 200 && !order.data.degraded && order.data;
    }, { timeoutMs: 30_000, what: 'the composition to recover once the breaker closes' });
    expect(recovered.items[0]?.product).toMatchObject({ id: product.id, sku: product.sku });
    await topology.processes.orders!.child.waitForOutput(/circuit to the users module closed again/, 10_000);
  });

  it('answers 503 naming the module while its process is down, rests it, loses no event meanwhile, and completes the flow once it is back', async () => {
    const admin = await adminToken(gateway);
    const customer = await registerCustomer(gateway);
    const product = await createProduct(gateway, admin, 10);
    // One order payments learned before it went down, one whose events wait for it.
    const before = await placeOrder(customer.token, product.id);
    await waitForOrderStatus(gateway, customer.token, before, 'awaiting_payment');
    const pay = (orderId: string) => gateway.payments.createPayment({ orderId, card }, as(customer.token, { 'idempotency-key': `pay-${orderId}` }));

    await topology.stop('payments');
    const downAt = Date.now();
    let during: string;
    const refusals: number[] = [];
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const startedAt = Date.now();
        const down = await pay(before);
        refusals.push(Date.now() - startedAt);
        expect(down.status).toBe(503);
        expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(down.error.detail).toBe('The payments module is unavailable');
      }
      // The gateway rests the instance after the first failure: later calls fail without trying it.
      await topology.processes.gateway!.child.waitForOutput(/remote module instance unreachable; resting it/, 10_000);
      expect(topology.processes.gateway!.child.output()).toMatch(/"module":"payments"[^\n]*resting it|resting it[^\n]*"module":"payments"/);
      during = await placeOrder(customer.token, product.id);
      await waitForOrderStatus(gateway, customer.token, during, 'awaiting_payment');
      // Nothing was charged: both orders still await payment.
      expect((await gateway.orders.getOrder(before, as(customer.token))).data.status).toBe('awaiting_payment');
    } finally {
      await topology.restart('payments');
    }
    const backAt = Date.now();

    for (const orderId of [before, during]) {
      const payment = await waitFor(async () => {
        const response = await pay(orderId);
        return response.status === 201 && response;
      }, { timeoutMs: 30_000, what: 'payments to answer again and to know the order' });
      expect(payment.data).toMatchObject({ orderId, status: 'succeeded', amountCents: product.priceCents });
      await waitForOrderStatus(gateway, customer.token, orderId, 'paid');
      const payments = await gateway.payments.listPayments({ orderId }, as(customer.token));
      expect(payments.data.items).toHaveLength(1);
    }
    console.info(
      `payments down: ${refusals.length} payments refused 503 in ${refusals.join(', ')} ms; down for ${backAt - downAt} ms; ` +
        `both orders paid ${Date.now() - backAt} ms after its restart, one payment each`,
    );
  });
});
