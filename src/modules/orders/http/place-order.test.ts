// POST /api/v1/orders: a customer places an order; prices come from the catalog (ProductsApi),
// never from the client. Users and orders are real; a stand-in for the products contract answers
// from an in-memory catalog, and products itself does not run, so no stock handling moves these
// orders.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';
import { fakeCatalog, shippingAddress as address } from '../orders.test-support.js';

describe('POST /api/v1/orders', () => {
  const catalog = fakeCatalog();
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  let customer: TestUser;
  beforeAll(async () => ({ app, client, admin } = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn] })));
  afterAll(() => app.close());
  beforeEach(async () => {
    catalog.mode = 'answering';
    customer = await registerAndLogin(client);
  });

  const place = (payload: unknown, auth: { authorization: string } = customer.auth) =>
    client.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: payload as object });
  const storedOrders = async (customerId: string) =>
    query<{ id: string }>(app.databaseUrl, 'select id from orders.orders where customer_id = $1', [customerId]);

  describe('placing an order', () => {
    it('answers 201 with a pending order priced from the catalog, totalled in cents', async () => {
      const widget = catalog.add({ priceCents: 1999 });
      const gadget = catalog.add({ priceCents: 250 });
      const response = await place({ items: [{ productId: widget.id, quantity: 3 }, { productId: gadget.id, quantity: 2 }], shippingAddress: address() });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json();
      expect(body).toEqual({
        id: expect.stringMatching(UUID),
        customerId: customer.id,
        status: 'pending',
        items: [
          { productId: widget.id, quantity: 3, unitPriceCents: 1999 },
          { productId: gadget.id, quantity: 2, unitPriceCents: 250 },
        ],
        totalCents: 3 * 1999 + 2 * 250,
        currency: 'USD',
        shippingAddress: address(),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
    });

    it('stores the order so that reading it back gives the same order', async () => {
      const product = catalog.add();
      const placed = (await place({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: address() })).json();
      const read = await client.inject({ url: `/api/v1/orders/${placed.id}`, headers: customer.auth });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ ...placed, items: [{ ...placed.items[0], product: { id: product.id, sku: product.sku, name: product.name } }] });
    });

    it('takes the currency from the catalog', async () => {
      const product = catalog.add({ currency: 'EUR', priceCents: 500 });
      const response = await place({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: address() });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ currency: 'EUR', totalCents: 500 });
    });

    it('keeps the price of order time when the catalog price changes later', async () => {
      const product = catalog.add({ priceCents: 1000 });
      const placed = (await place({ items: [{ productId: product.id, quantity: 2 }], shippingAddress: address() })).json();
      catalog.add({ ...product, priceCents: 5000 });
      const read = (await client.inject({ url: `/api/v1/orders/${placed.id}`, headers: customer.auth })).json();
      expect(read).toMatchObject({ totalCents: 2000, items: [{ unitPriceCents: 1000 }] });
    });

    it('totals large orders exactly in integer cents', async () => {
      const products = Array.from({ length: 50 }, () => catalog.add({ priceCents: 99_999_999 }));
      const response = await place({ items: products.map((product) => ({ productId: product.id, quantity: 100 })), shippingAddress: address() });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().totalCents).toBe(50 * 100 * 99_999_999);
      expect(response.json().items).toHaveLength(50);
    });

    it('trims the address fields and upper-cases the country', async () => {
      const product = catalog.add();
      const response = await place({
        items: [{ productId: product.id, quantity: 1 }],
        shippingAddress: { street: '  2 Side Road ', city: ' Paris ', zipCode: ' 75001 ', country: ' fr ' },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json().shippingAddress).toEqual({ street: '2 Side Road', city: 'Paris', zipCode: '75001', country: 'FR' });
    });
  });

  describe('merging lines', () => {
    it('merges lines naming the same product into one, in order of first appearance', async () => {
      const first = catalog.add({ priceCents: 100 });
      const second = catalog.add({ priceCents: 10 });
      const response = await place({
        items: [
          { productId: first.id, quantity: 2 },
          { productId: second.id, quantity: 1 },
          { productId: first.id, quantity: 3 },
        ],
        shippingAddress: address(),
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({
        items: [
          { productId: first.id, quantity: 5, unitPriceCents: 100 },
          { productId: second.id, quantity: 1, unitPriceCents: 10 },
        ],
        totalCents: 510,
      });
    });

    it('treats a product id written in upper case as the same product', async () => {
      const product = catalog.add();
      const response = await place({
        items: [{ productId: product.id, quantity: 1 }, { productId: product.id.toUpperCase(), quantity: 1 }],
        shippingAddress: address(),
      });
      expect(response.statusCode).toBe(201);
      expect(response.json().items).toEqual([{ productId: product.id, quantity: 2, unitPriceCents: product.priceCents }]);
    });

    it('accepts merged lines that add up to exactly 100', async () => {
      const product = catalog.add();
      const response = await place({ items: [{ productId: product.id, quantity: 60 }, { productId: product.id, quantity: 40 }], shippingAddress: address() });
      expect(response.statusCode).toBe(201);
      expect(response.json().items[0].quantity).toBe(100);
    });

    it('rejects merged lines above 100 of one product with 400 naming the first line, and stores nothing', async () => {
      const other = catalog.add();
      const product = catalog.add();
      const response = await place({
        items: [{ productId: other.id, quantity: 1 }, { productId: product.id, quantity: 60 }, { productId: product.id, quantity: 41 }],
        shippingAddress: address(),
      });
      expectProblem(response, 400, ['items.1.quantity']);
      expect(await storedOrders(customer.id)).toEqual([]);
    });
  });

  describe('the legacy body', () => {
    it('accepts { products: [{ id, qty }] } and places the same order', async () => {
      const widget = catalog.add({ priceCents: 300 });
      const gadget = catalog.add({ priceCents: 7 });
      const response = await place({ products: [{ id: widget.id, qty: 2 }, { id: gadget.id, qty: 1 }, { id: widget.id, qty: 1 }], shippingAddress: address() });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({
        status: 'pending',
        items: [
          { productId: widget.id, quantity: 3, unitPriceCents: 300 },
          { productId: gadget.id, quantity: 1, unitPriceCents: 7 },
        ],
        totalCents: 907,
      });
    });

    it('validates the converted body, naming the fields of the current shape', async () => {
      const product = catalog.add();
      expectProblem(await place({ products: [{ id: product.id, qty: 0 }], shippingAddress: address() }), 400, ['items.0.quantity']);
      expectProblem(await place({ products: [{ id: 'nope', qty: 1 }], shippingAddress: address() }), 400, ['items.0.productId']);
      expectProblem(await place({ products: [], shippingAddress: address() }), 400, ['items']);
      expectProblem(await place({ products: 'all of them', shippingAddress: address() }), 400, ['items']);
    });

    it('rejects unknown properties in legacy lines', async () => {
      const product = catalog.add();
      expectProblem(await place({ products: [{ id: product.id, qty: 1, price: 1 }], shippingAddress: address() }), 400, ['items.0.price']);
    });

    it('rejects a body that mixes items and products', async () => {
      const product = catalog.add();
      const response = await place({ items: [{ productId: product.id, quantity: 1 }], products: [{ id: product.id, qty: 1 }], shippingAddress: address() });
      expectProblem(response, 400, ['products']);
    });

    it('answers 422 naming the converted line when a legacy line names an unknown product', async () => {
      const product = catalog.add();
      expectProblem(await place({ products: [{ id: product.id, qty: 1 }, { id: randomUUID(), qty: 1 }], shippingAddress: address() }), 422, ['items.1.productId']);
    });
  });

  describe('prices come from the catalog, never from the client', () => {
    it('rejects a client-sent unitPriceCents as an unknown property', async () => {
      const product = catalog.add();
      const response = await place({ items: [{ productId: product.id, quantity: 1, unitPriceCents: 1 }], shippingAddress: address() });
      expectProblem(response, 400, ['items.0.unitPriceCents']);
      expect(await storedOrders(customer.id)).toEqual([]);
    });

    it.each([['totalCents', 1], ['currency', 'USD'], ['status', 'paid'], ['customerId', randomUUID()]])('rejects a client-sent %s with 400 naming it', async (field, value) => {
      const product = catalog.add();
      expectProblem(await place({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: address(), [field]: value }), 400, [field]);
    });
  });

  describe('products the catalog cannot price', () => {
    it('answers 422 naming each unknown product’s line, and stores nothing', async () => {
      const known = catalog.add();
      const unknown = randomUUID();
      const response = await place({
        items: [{ productId: known.id, quantity: 1 }, { productId: unknown, quantity: 1 }, { productId: randomUUID(), quantity: 2 }],
        shippingAddress: address(),
      });
      const body = expectProblem(response, 422, ['items.1.productId', 'items.2.productId']);
      expect(JSON.stringify(body.errors)).toContain(unknown);
      expect(await storedOrders(customer.id)).toEqual([]);
    });

    it('answers 422 when the products are priced in different currencies', async () => {
      const dollars = catalog.add({ currency: 'USD' });
      const euros = catalog.add({ currency: 'EUR' });
      const response = await place({ items: [{ productId: dollars.id, quantity: 1 }, { productId: euros.id, quantity: 1 }], shippingAddress: address() });
      expectProblem(response, 422);
      expect(await storedOrders(customer.id)).toEqual([]);
    });

    it('answers 503 when the catalog cannot answer, and stores nothing', async () => {
      const product = catalog.add();
      catalog.mode = 'failing';
      const response = await place({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: address() });
      expectProblem(response, 503);
      expect(response.body).not.toContain('products is down');
      expect(await storedOrders(customer.id)).toEqual([]);
    });
  });

  describe('validation', () => {
    const line = () => ({ productId: catalog.add().id, quantity: 1 });

    it('names every missing field', async () => {
      expectProblem(await place({}), 400, ['items', 'shippingAddress']);
      expectProblem(await place({ items: [{}], shippingAddress: {} }), 400, [
        'items.0.productId',
        'items.0.quantity',
        'shippingAddress.street',
        'shippingAddress.city',
        'shippingAddress.zipCode',
        'shippingAddress.country',
      ]);
    });

    it.each([
      ['no lines', []],
      ['51 lines', Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 }))],
      ['not an array', { productId: randomUUID(), quantity: 1 }],
    ])('rejects items with %s with 400 naming items', async (_case, items) => {
      expectProblem(await place({ items, shippingAddress: address() }), 400, ['items']);
    });

    it.each([[0], [101], [-1], [1.5], ['2'], [null]])('rejects quantity %j with 400 naming it', async (quantity) => {
      expectProblem(await place({ items: [{ ...line(), quantity }], shippingAddress: address() }), 400, ['items.0.quantity']);
    });

    it.each([['not-a-uuid'], [''], [42], ['00000000-0000-0000-0000-00000000000g']])('rejects productId %j with 400 naming it', async (productId) => {
      expectProblem(await place({ items: [line(), { productId, quantity: 1 }], shippingAddress: address() }), 400, ['items.1.productId']);
    });

    it.each([
      ['street', ''],
      ['street', '   '],
      ['street', 's'.repeat(201)],
      ['city', ''],
      ['city', 'c'.repeat(101)],
      ['zipCode', ''],
      ['zipCode', '1'.repeat(21)],
      ['zipCode', '12<script>'],
      ['country', 'XX'],
      ['country', 'USA'],
      ['country', ''],
    ])('rejects shippingAddress.%s %j with 400 naming it', async (field, value) => {
      expectProblem(await place({ items: [line()], shippingAddress: address({ [field]: value }) }), 400, [`shippingAddress.${field}`]);
    });

    it('rejects an unknown property of the address with 400 naming it', async () => {
      expectProblem(await place({ items: [line()], shippingAddress: address({ phone: '555' }) }), 400, ['shippingAddress.phone']);
    });

    it('rejects a body that is not an object', async () => {
      expectProblem(await place([line()]), 400);
      expectProblem(await client.inject({ method: 'POST', url: '/api/v1/orders', headers: { ...customer.auth, 'content-type': 'application/json' }, payload: '{"items":' }), 400);
    });

    it('accepts 50 lines', async () => {
      const response = await place({ items: Array.from({ length: 50 }, line), shippingAddress: address() });
      expect(response.statusCode).toBe(201);
      expect(response.json().items).toHaveLength(50);
    });
  });

  describe('who may place orders', () => {
    it('answers 401 without a token or with a bad one', async () => {
      const payload = { items: [line()], shippingAddress: address() };
      expectProblem(await client.inject({ method: 'POST', url: '/api/v1/orders', payload }), 401);
      expectProblem(await place(payload, { authorization: 'Bearer not-a-token' }), 401);
    });

    it('answers 403 to an admin, who has no basket', async () => {
      expectProblem(await place({ items: [line()], shippingAddress: address() }, admin), 403);
    });

    it('answers 401 before validating the body', async () => {
      expectProblem(await client.inject({ method: 'POST', url: '/api/v1/orders', payload: {} }), 401);
    });

    function line() {
      return { productId: catalog.add().id, quantity: 1 };
    }
  });
});
