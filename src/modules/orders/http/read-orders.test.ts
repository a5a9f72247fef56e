// GET /api/v1/orders (own orders, or all for admins; newest first; paginated; ?status=) and
// GET /api/v1/orders/:id (owner or admin; composed with the customer and the products).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { startModuleTest } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';
import { fakeCatalog, placeOrderAs, shippingAddress } from '../orders.test-support.js';

type Auth = { authorization: string };
type OrderView = { id: string; customerId: string; status: string; createdAt: string; items: Array<{ productId: string }> };

describe('reading orders', () => {
  const catalog = fakeCatalog();
  let app: TestApp;
  let client: Injector;
  let admin: Auth;
  // Paging needs more open orders of one customer than the default cap allows.
  beforeAll(async () => ({ app, client, admin } = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn], env: { MAX_OPEN_ORDERS_PER_CUSTOMER: '100' } })));
  afterAll(() => app.close());

  async function placeOrders(customer: TestUser, count: number): Promise<OrderView[]> {
    const placed: OrderView[] = [];
    for (let i = 0; i < count; i += 1) {
      const product = catalog.add({ priceCents: 100 * (i + 1) });
      placed.push(await placeOrderAs<OrderView>(client, customer, [{ productId: product.id, quantity: 1 }]));
    }
    return placed;
  }
  const list = (auth: Auth, queryString = '') => client.inject({ url: `/api/v1/orders${queryString}`, headers: auth });
  const get = (id: string, auth: Auth) => client.inject({ url: `/api/v1/orders/${id}`, headers: auth });
  const cancel = (id: string, auth: Auth) => client.inject({ method: 'POST', url: `/api/v1/orders/${id}/cancel`, headers: auth });
  // The API's order: newest first, ties (same millisecond) broken by id, descending.
  const newestFirst = (orders: OrderView[]) =>
    [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).map((order) => order.id);
  const ids = (response: { json(): { items: Array<{ id: string }> } }) => response.json().items.map((item) => item.id);

  it('documents every orders route, the status filter included, in the OpenAPI document', async () => {
    const response = await client.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = response.json().paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/orders/{id}/cancel']));
    expect(Object.keys(paths['/api/v1/orders'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(paths['/api/v1/orders'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'status']));
  });

  describe('GET /api/v1/orders', () => {
    it('lists the customer’s own orders, newest first, with no next page', async () => {
      const customer = await registerAndLogin(client);
      const placed = await placeOrders(customer, 3);
      const response = await list(customer.auth);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.nextCursor).toBeNull();
      expect(body.items.map((item: OrderView) => item.id)).toEqual(newestFirst(placed));
      expect(body.items).toEqual(expect.arrayContaining(placed));
      expect(Date.parse(body.items[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(body.items[2].createdAt));
    });

    it('shows a customer none of the orders of other customers', async () => {
      const customer = await registerAndLogin(client);
      const other = await registerAndLogin(client);
      const [own] = await placeOrders(customer, 1);
      await placeOrders(other, 2);
      expect(ids(await list(customer.auth))).toEqual([own!.id]);
    });

    it('answers an empty page to a customer without orders', async () => {
      const customer = await registerAndLogin(client);
      const response = await list(customer.auth);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], nextCursor: null });
    });

    it('lists every customer’s orders to an admin, newest first', async () => {
      const first = await registerAndLogin(client);
      const second = await registerAndLogin(client);
      const [a] = await placeOrders(first, 1);
      const [b] = await placeOrders(second, 1);
      const listed = ids(await list(admin, '?limit=100'));
      expect(listed.filter((id) => id === a!.id || id === b!.id)).toEqual(newestFirst([a!, b!]));
    });

    it('walks every order exactly once through limit and cursor', async () => {
      const customer = await registerAndLogin(client);
      const placed = await placeOrders(customer, 5);
      const first = await list(customer.auth, '?limit=2');
      expect(first.json().nextCursor).toEqual(expect.any(String));
      const second = await list(customer.auth, `?limit=2&cursor=${encodeURIComponent(first.json().nextCursor)}`);
      expect(second.json().nextCursor).toEqual(expect.any(String));
      const third = await list(customer.auth, `?limit=2&cursor=${encodeURIComponent(second.json().nextCursor)}`);
      expect(third.json().nextCursor).toBeNull();
      expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(newestFirst(placed));
    });

    it('gives no next cursor when the last page is exactly full', async () => {
      const customer = await registerAndLogin(client);
      await placeOrders(customer, 2);
      expect((await list(customer.auth, '?limit=2')).json().nextCursor).toBeNull();
    });

    it('uses 20 as the default limit', async () => {
      const customer = await registerAndLogin(client);
      await placeOrders(customer, 21);
      const body = (await list(customer.auth)).json();
      expect(body.items).toHaveLength(20);
      expect(body.nextCursor).toEqual(expect.any(String));
    });

    it('filters by status, and pages within the filter', async () => {
      const customer = await registerAndLogin(client);
      const [a, b, c, d] = await placeOrders(customer, 4);
      for (const order of [a!, c!, d!]) expect((await cancel(order.id, customer.auth)).statusCode).toBe(200);
      expect(ids(await list(customer.auth, '?status=pending'))).toEqual([b!.id]);
      const firstPage = await list(customer.auth, '?status=cancelled&limit=2');
      const secondPage = await list(customer.auth, `?status=cancelled&limit=2&cursor=${encodeURIComponent(firstPage.json().nextCursor)}`);
      expect([...ids(firstPage), ...ids(secondPage)]).toEqual(newestFirst([a!, c!, d!]));
      expect(ids(secondPage)).toHaveLength(1);
      expect(secondPage.json().nextCursor).toBeNull();
      expect(ids(await list(customer.auth, '?status=paid'))).toEqual([]);
    });

    it('filters an admin’s list by status too', async () => {
      const customer = await registerAndLogin(client);
      const [order] = await placeOrders(customer, 1);
      await cancel(order!.id, customer.auth);
      const cancelled = (await list(admin, '?status=cancelled&limit=100')).json().items as OrderView[];
      expect(cancelled.map((item) => item.id)).toContain(order!.id);
      expect(cancelled.every((item) => item.status === 'cancelled')).toBe(true);
    });

    it.each([['shipped'], ['PENDING'], [''], ['pending,paid']])('rejects status=%j with 400 naming querystring.status', async (status) => {
      const customer = await registerAndLogin(client);
      expectProblem(await list(customer.auth, `?status=${encodeURIComponent(status)}`), 400, ['querystring.status']);
    });

    it.each([['0'], ['101'], ['abc']])('rejects limit=%j with 400 naming querystring.limit', async (limit) => {
      const customer = await registerAndLogin(client);
      expectProblem(await list(customer.auth, `?limit=${limit}`), 400, ['querystring.limit']);
    });

    it('rejects a cursor it did not issue with 400 naming querystring.cursor', async () => {
      const customer = await registerAndLogin(client);
      expectProblem(await list(customer.auth, '?cursor=not-a-cursor'), 400, ['querystring.cursor']);
    });

    it('rejects an unknown query parameter with 400 naming it', async () => {
      const customer = await registerAndLogin(client);
      expectProblem(await list(customer.auth, '?customerId=x'), 400, ['querystring.customerId']);
    });

    it('answers 401 without a valid token', async () => {
      expectProblem(await client.inject({ url: '/api/v1/orders' }), 401);
      expectProblem(await list({ authorization: 'Bearer nope' }), 401);
    });
  });

  describe('GET /api/v1/orders/:id', () => {
    it('answers the owner with the order composed with its customer and products', async () => {
      const customer = await registerAndLogin(client);
      const widget = catalog.add({ sku: 'WID-1', name: 'Widget', priceCents: 300 });
      const gadget = catalog.add({ sku: 'GAD-1', name: 'Gadget', priceCents: 50 });
      const placed = (
        await client.inject({
          method: 'POST',
          url: '/api/v1/orders',
          headers: customer.auth,
          payload: { items: [{ productId: widget.id, quantity: 2 }, { productId: gadget.id, quantity: 1 }], shippingAddress: shippingAddress() },
        })
      ).json();
      const response = await get(placed.id, customer.auth);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: placed.id,
        customerId: customer.id,
        status: 'pending',
        items: [
          { productId: widget.id, quantity: 2, unitPriceCents: 300, product: { id: widget.id, sku: 'WID-1', name: 'Widget' } },
          { productId: gadget.id, quantity: 1, unitPriceCents: 50, product: { id: gadget.id, sku: 'GAD-1', name: 'Gadget' } },
        ],
        totalCents: 650,
        currency: 'USD',
        shippingAddress: shippingAddress(),
        createdAt: placed.createdAt,
        updatedAt: placed.updatedAt,
        customer: { id: customer.id, username: customer.username },
      });
      expect(response.json()).not.toHaveProperty('degraded');
    });

    it('answers an admin with any order', async () => {
      const customer = await registerAndLogin(client);
      const [order] = await placeOrders(customer, 1);
      const response = await get(order!.id, admin);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: order!.id, customer: { id: customer.id, username: customer.username } });
    });

    it('shows a product the catalog no longer has as null, without calling the answer degraded', async () => {
      const customer = await registerAndLogin(client);
      const [order] = await placeOrders(customer, 1);
      catalog.remove(order!.items[0]!.productId);
      const body = (await get(order!.id, customer.auth)).json();
      expect(body.items[0]).toMatchObject({ unitPriceCents: 100, product: null });
      expect(body).not.toHaveProperty('degraded');
    });

    it('answers 404 to a customer asking for another customer’s order, the same as for an unknown id', async () => {
      const customer = await registerAndLogin(client);
      const other = await registerAndLogin(client);
      const [order] = await placeOrders(other, 1);
      const foreign = await get(order!.id, customer.auth);
      const unknown = await get(randomUUID(), customer.auth);
      expectProblem(foreign, 404);
      expectProblem(unknown, 404);
      expect(foreign.json().detail).toBe(unknown.json().detail);
      expect(foreign.body).not.toContain(other.id);
    });

    it('answers 404 to an admin for an unknown id', async () => {
      expectProblem(await get(randomUUID(), admin), 404);
    });

    it('answers 400 naming the id when it is not a UUID', async () => {
      const customer = await registerAndLogin(client);
      expectProblem(await get('not-a-uuid', customer.auth), 400, ['params.id']);
    });

    it('answers 401 without a valid token', async () => {
      const customer = await registerAndLogin(client);
      const [order] = await placeOrders(customer, 1);
      expectProblem(await client.inject({ url: `/api/v1/orders/${order!.id}` }), 401);
    });

    it('has an id, timestamps and money in the documented formats', async () => {
      const customer = await registerAndLogin(client);
      const [order] = await placeOrders(customer, 1);
      const body = (await get(order!.id, customer.auth)).json();
      expect(body.id).toMatch(UUID);
      expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
      expect(new Date(body.updatedAt).toISOString()).toBe(body.updatedAt);
      expect(Number.isInteger(body.totalCents)).toBe(true);
      expect(body.currency).toMatch(/^[A-Z]{3}$/);
    });
  });
});
