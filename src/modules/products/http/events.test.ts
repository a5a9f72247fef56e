// The products module publishes products.product-created and products.product-updated with
// exactly the contract's data, and nothing for refused requests. The subscriber is the harness's
// probe module, hosted next to products with its own schema and inbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { registerAndLogin } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';
import { createProduct, newProductInput } from '../products.test-support.js';

describe('products catalog events', () => {
  let scenario: Scenario;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const eventsOf = (type: string, productId: string) =>
    scenario.probe.received.filter((event) => event.type === type && (event.data as { productId?: string }).productId === productId);
  const eventually = (type: string, productId: string, count = 1) =>
    scenario.eventually(async () => eventsOf(type, productId).length >= count && eventsOf(type, productId), { what: `${count} × ${type} for ${productId}` });

  it('publishes products.product-created with productId, sku, name, priceCents and currency', async () => {
    const product = await createProduct(app, admin, { priceCents: 1234, currency: 'EUR' });
    const [event] = await eventually('products.product-created', product.id);
    expect(event).toEqual({
      id: expect.stringMatching(UUID),
      type: 'products.product-created',
      version: 1,
      occurredAt: expect.any(String),
      source: 'products',
      data: { productId: product.id, sku: product.sku, name: product.name, priceCents: 1234, currency: 'EUR' },
    });
  });

  it('publishes products.product-updated with the new catalog data after a change', async () => {
    const product = await createProduct(app, admin);
    const response = await app.server.inject({ method: 'PATCH', url: `/api/v1/products/${product.id}`, headers: admin, payload: { name: 'New name', priceCents: 555 } });
    expect(response.statusCode).toBe(200);
    const [event] = await eventually('products.product-updated', product.id);
    expect(event).toMatchObject({ type: 'products.product-updated', version: 1, source: 'products' });
    expect(event!.data).toEqual({ productId: product.id, sku: product.sku, name: 'New name', priceCents: 555, currency: product.currency });
  });

  it('publishes one products.product-updated per change, also for a stock-only change', async () => {
    const product = await createProduct(app, admin);
    for (const stock of [1, 2]) {
      expect((await app.server.inject({ method: 'PATCH', url: `/api/v1/products/${product.id}`, headers: admin, payload: { stock } })).statusCode).toBe(200);
    }
    await eventually('products.product-updated', product.id, 2);
    expect(eventsOf('products.product-updated', product.id)).toHaveLength(2);
  });

  it('publishes nothing for a creation or change refused with 409, 400 or 403', async () => {
    const taken = await createProduct(app, admin);
    const customer = await registerAndLogin(app.server);
    const refusedSku = newProductInput().sku;
    const inject = (method: 'POST' | 'PATCH', url: string, payload: object, headers = admin) => app.server.inject({ method, url, headers, payload });
    expect((await inject('POST', '/api/v1/products', newProductInput({ sku: taken.sku }))).statusCode).toBe(409);
    expect((await inject('POST', '/api/v1/products', newProductInput({ sku: refusedSku, priceCents: 0 }))).statusCode).toBe(400);
    expect((await inject('POST', '/api/v1/products', newProductInput({ sku: refusedSku }), customer.auth)).statusCode).toBe(403);
    expect((await inject('PATCH', `/api/v1/products/${taken.id}`, { stock: -1 })).statusCode).toBe(400);
    // Events are delivered in the order they were stored: once a later marker arrives, an event
    // of the refused requests would have arrived before it.
    const marker = await createProduct(app, admin);
    await eventually('products.product-created', marker.id);
    expect(eventsOf('products.product-created', taken.id)).toHaveLength(1);
    expect(scenario.probe.received.filter((event) => (event.data as { sku?: string }).sku === refusedSku)).toEqual([]);
    expect(eventsOf('products.product-updated', taken.id)).toEqual([]);
  });
});
