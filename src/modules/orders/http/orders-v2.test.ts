// Version 2 of the orders API (money as { amount, currency }, lines with their product), and
// version 1 next to it: unchanged, but deprecated, saying so in every answer's headers.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { startModuleTest } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { fakeCatalog, placeOrderAs, shippingAddress } from '../orders.test-support.js';

type Auth = { authorization: string };
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

describe('orders API, version 2', () => {
  const catalog = fakeCatalog();
  let app: TestApp;
  let client: Injector;
  let admin: Auth;
  beforeAll(async () => ({ app, client, admin } = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn], env: { MAX_OPEN_ORDERS_PER_CUSTOMER: '100' } })));
  afterAll(() => app.close());

  const place = (customer: TestUser, items: Array<{ productId: string; quantity: number }>) =>
    client.inject({ method: 'POST', url: '/api/v2/orders', headers: customer.auth, payload: { items, shippingAddress: shippingAddress() } });
  const get = (url: string, auth?: Auth) => client.inject({ url, ...(auth ? { headers: auth } : {}) });
  const cancel = (version: 1 | 2, id: string, auth: Auth) => client.inject({ method: 'POST', url: `/api/v${version}/orders/${id}/cancel`, headers: auth });

  it('places an order and answers money as objects and lines with their product', async () => {
    const customer = await registerAndLogin(client);
    const a = catalog.add({ priceCents: 1299 });
    const b = catalog.add({ priceCents: 1000 });
    const response = await place(customer, [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 2 }]);
    expect(response.statusCode, response.body).toBe(201);
    const order = response.json();
    expect(order).toMatchObject({ customerId: customer.id, status: 'pending', total: { amount: 3299, currency: 'USD' } });
    expect(order.items).toEqual(
      expect.arrayContaining([
        { productId: a.id, quantity: 1, unitPrice: { amount: 1299, currency: 'USD' }, product: { id: a.id, sku: a.sku, name: a.name } },
        { productId: b.id, quantity: 2, unitPrice: { amount: 1000, currency: 'USD' }, product: { id: b.id, sku: b.sku, name: b.name } },
      ]),
    );
    expect(order).not.toHaveProperty('totalCents');
    expect(order).not.toHaveProperty('degraded');
  });

  it('shows one order with its customer, the same order v1 shows in its own view', async () => {
    const customer = await registerAndLogin(client);
    const product = catalog.add({ priceCents: 450 });
    const placed = await placeOrderAs<{ id: string }>(client, customer, [{ productId: product.id, quantity: 3 }]);
    const [v1, v2] = await Promise.all([get(`/api/v1/orders/${placed.id}`, customer.auth), get(`/api/v2/orders/${placed.id}`, customer.auth)]);
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json()).toMatchObject({
      id: placed.id,
      total: { amount: 1350, currency: 'USD' },
      items: [{ productId: product.id, quantity: 3, unitPrice: { amount: 450, currency: 'USD' }, product: { id: product.id, sku: product.sku, name: product.name } }],
      customer: { id: customer.id, username: customer.username },
    });
    expect(v1.json()).toMatchObject({ id: placed.id, totalCents: 1350, currency: 'USD', items: [{ unitPriceCents: 450, product: { id: product.id } }] });
    expect(v2.json().createdAt).toBe(v1.json().createdAt);
  });

  it('lists with the same paging and status filter as v1, each line with its product', async () => {
    const customer = await registerAndLogin(client);
    const placed = [];
    for (let i = 0; i < 3; i += 1) placed.push(await placeOrderAs<{ id: string }>(client, customer, [{ productId: catalog.add({ priceCents: 100 * (i + 1) }).id, quantity: 1 }]));
    const first = await get('/api/v2/orders?limit=2', customer.auth);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().items).toHaveLength(2);
    expect(first.json().nextCursor).toEqual(expect.any(String));
    // A cursor of one version pages the other: the same orders, the same order.
    const v1First = await get('/api/v1/orders?limit=2', customer.auth);
    expect(first.json().nextCursor).toBe(v1First.json().nextCursor);
    const second = await get(`/api/v2/orders?limit=2&cursor=${encodeURIComponent(first.json().nextCursor)}`, customer.auth);
    expect(second.json().nextCursor).toBeNull();
    const ids = [...first.json().items, ...second.json().items].map((order: { id: string }) => order.id);
    expect(ids.sort()).toEqual(placed.map((order) => order.id).sort());
    for (const order of [...first.json().items, ...second.json().items]) {
      expect(order.total).toEqual({ amount: order.items[0].unitPrice.amount, currency: 'USD' });
      expect(order.items[0].product).toEqual({ id: order.items[0].productId, sku: expect.any(String), name: expect.any(String) });
    }

    expect((await cancel(2, placed[0]!.id, customer.auth)).statusCode).toBe(200);
    const cancelled = await get('/api/v2/orders?status=cancelled', customer.auth);
    expect(cancelled.json().items.map((order: { id: string }) => order.id)).toEqual([placed[0]!.id]);
  });

  it('cancels, answering the cancelled order in the v2 view, and refuses a second cancel with 409', async () => {
    const customer = await registerAndLogin(client);
    const product = catalog.add({ priceCents: 700 });
    const placed = await placeOrderAs<{ id: string }>(client, customer, [{ productId: product.id, quantity: 1 }]);
    const response = await cancel(2, placed.id, customer.auth);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ id: placed.id, status: 'cancelled', total: { amount: 700, currency: 'USD' }, items: [{ product: { id: product.id } }] });
    expectProblem(await cancel(2, placed.id, customer.auth), 409);
  });

  it('shows lines without their product, marked degraded, while the catalog cannot answer', async () => {
    const customer = await registerAndLogin(client);
    const product = catalog.add({ priceCents: 500 });
    const placed = await placeOrderAs<{ id: string }>(client, customer, [{ productId: product.id, quantity: 1 }]);
    catalog.mode = 'failing';
    try {
      const listed = await get('/api/v2/orders', customer.auth);
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json().items[0]).toMatchObject({ id: placed.id, total: { amount: 500, currency: 'USD' }, items: [{ product: null }], degraded: ['products'] });
    } finally {
      catalog.mode = 'answering';
    }
  });

  it('answers problem+json: 401 without a token, 404 for an unknown or another customer’s order, 400 for a bad id or body', async () => {
    const customer = await registerAndLogin(client);
    const other = await registerAndLogin(client);
    const placed = await placeOrderAs<{ id: string }>(client, customer, [{ productId: catalog.add().id, quantity: 1 }]);
    expectProblem(await get('/api/v2/orders'), 401);
    expectProblem(await get(`/api/v2/orders/${placed.id}`), 401);
    expectProblem(await get(`/api/v2/orders/${randomUUID()}`, customer.auth), 404);
    expectProblem(await get(`/api/v2/orders/${placed.id}`, other.auth), 404);
    expectProblem(await cancel(2, placed.id, other.auth), 404);
    expectProblem(await get('/api/v2/orders/not-a-uuid', customer.auth), 400);
    expectProblem(await get('/api/v2/orders?limit=0', customer.auth), 400);
    expectProblem(await client.inject({ method: 'POST', url: '/api/v2/orders', headers: customer.auth, payload: { items: [], shippingAddress: shippingAddress() } }), 400);
    // Orders are placed by customers only, as in v1.
    expectProblem(await client.inject({ method: 'POST', url: '/api/v2/orders', headers: admin, payload: { items: [{ productId: catalog.add().id, quantity: 1 }], shippingAddress: shippingAddress() } }), 403);
  });

  describe('deprecation of v1', () => {
    const expectDeprecationHeaders = (response: { headers: Record<string, unknown> }, successor: string) => {
      const deprecation = String(response.headers.deprecation);
      const sunset = String(response.headers.sunset);
      expect(deprecation).toMatch(/^@\d+$/);
      expect(sunset).toMatch(HTTP_DATE);
      expect(Date.parse(sunset)).toBeGreaterThan(Number(deprecation.slice(1)) * 1000);
      expect(response.headers.link).toBe(`<${successor}>; rel="successor-version"`);
    };

    it('answers v1 as before, with Deprecation, Sunset and a Link to the matching v2 operation, errors included', async () => {
      const customer = await registerAndLogin(client);
      const product = catalog.add({ priceCents: 250 });
      const placed = await client.inject({ method: 'POST', url: '/api/v1/orders', headers: customer.auth, payload: { items: [{ productId: product.id, quantity: 2 }], shippingAddress: shippingAddress() } });
      expect(placed.statusCode).toBe(201);
      expect(placed.json()).toMatchObject({ totalCents: 500, currency: 'USD', items: [{ productId: product.id, quantity: 2, unitPriceCents: 250 }] });
      expectDeprecationHeaders(placed, '/api/v2/orders');
      const id = placed.json().id;
      expectDeprecationHeaders(await get(`/api/v1/orders/${id}`, customer.auth), `/api/v2/orders/${id}`);
      expectDeprecationHeaders(await get('/api/v1/orders?limit=5', customer.auth), '/api/v2/orders');
      expectDeprecationHeaders(await cancel(1, id, customer.auth), `/api/v2/orders/${id}/cancel`);

      const unauthenticated = await get('/api/v1/orders');
      expectProblem(unauthenticated, 401);
      expectDeprecationHeaders(unauthenticated, '/api/v2/orders');
      const missing = await get(`/api/v1/orders/${randomUUID()}`, customer.auth);
      expectProblem(missing, 404);
      expect(missing.headers.link).toMatch(/^<\/api\/v2\/orders\/[0-9a-f-]{36}>; rel="successor-version"$/);
    });

    it('answers v2 with none of those headers', async () => {
      const customer = await registerAndLogin(client);
      for (const response of [await get('/api/v2/orders', customer.auth), await get('/api/v2/orders')]) {
        expect(response.headers).not.toHaveProperty('deprecation');
        expect(response.headers).not.toHaveProperty('sunset');
        expect(response.headers).not.toHaveProperty('link');
      }
    });

    it('documents v1 operations as deprecated with the headers, and v2 operations as current, with their named schemas', async () => {
      const document = (await client.inject({ url: '/docs/json' })).json();
      const operations = (prefix: string) =>
        Object.entries(document.paths as Record<string, Record<string, { deprecated?: boolean; operationId?: string; responses: Record<string, { headers?: object }> }>>)
          .filter(([path]) => path.startsWith(prefix))
          .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, ...operation })));
      const v1 = operations('/api/v1/orders');
      const v2 = operations('/api/v2/orders');
      expect(v1.map((operation) => operation.key).sort()).toEqual(['GET /api/v1/orders', 'GET /api/v1/orders/{id}', 'POST /api/v1/orders', 'POST /api/v1/orders/{id}/cancel']);
      expect(v2.map((operation) => operation.key).sort()).toEqual(['GET /api/v2/orders', 'GET /api/v2/orders/{id}', 'POST /api/v2/orders', 'POST /api/v2/orders/{id}/cancel']);
      for (const operation of v1) {
        expect(operation.deprecated, operation.key).toBe(true);
        // Every answer, problems included, carries the three headers.
        for (const [status, response] of Object.entries(operation.responses)) {
          expect(Object.keys(response.headers ?? {}), `${operation.key} ${status}`).toEqual(expect.arrayContaining(['Deprecation', 'Link', 'Sunset']));
        }
      }
      for (const operation of v2) expect(operation.deprecated, operation.key).toBeUndefined();
      expect(v2.map((operation) => operation.operationId).sort()).toEqual(['cancelOrderV2', 'getOrderV2', 'listOrdersV2', 'placeOrderV2']);
      expect(document.components.schemas).toHaveProperty('OrderV2');
    });
  });
});
