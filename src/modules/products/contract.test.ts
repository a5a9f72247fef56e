// ProductsApi as another module receives it from the composition root: the harness's probe module
// needs `products` and gets the contract handed in, exactly as orders does.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModuleTest, type Scenario } from '../../../test/support/module-test.js';
import type { TestApp } from '../../../test/support/test-app.js';
import { ProductsContract, type ProductsApi } from './api.js';
import { createProduct } from './products.test-support.js';

describe('ProductsApi', () => {
  let scenario: Scenario;
  let api: ProductsApi;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
    api = scenario.contract(ProductsContract);
  });
  afterAll(() => scenario.close());

  it('answers the catalog entries of the given products as plain data', async () => {
    const mug = await createProduct(app, admin, { priceCents: 1200, currency: 'EUR', stock: 3 });
    const plate = await createProduct(app, admin, { priceCents: 800 });
    const summaries = await api.getProducts([mug.id, plate.id]);
    expect([...summaries].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: mug.id, sku: mug.sku, name: mug.name, priceCents: 1200, currency: 'EUR' },
        { id: plate.id, sku: plate.sku, name: plate.name, priceCents: 800, currency: 'USD' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(JSON.parse(JSON.stringify(summaries))).toEqual(summaries);
  });

  it('leaves unknown ids and ids that are not UUIDs out of the answer', async () => {
    const mug = await createProduct(app, admin);
    const summaries = await api.getProducts([randomUUID(), 'not-a-uuid', mug.id]);
    expect(summaries.map((summary) => summary.id)).toEqual([mug.id]);
  });

  it('answers each product once when asked for it twice', async () => {
    const mug = await createProduct(app, admin);
    expect(await api.getProducts([mug.id, mug.id, mug.id.toUpperCase()])).toHaveLength(1);
  });

  it('answers an empty list for no ids', async () => {
    expect(await api.getProducts([])).toEqual([]);
  });

  it('shows the current catalog entry after a change', async () => {
    const mug = await createProduct(app, admin, { priceCents: 100 });
    const response = await app.server.inject({ method: 'PATCH', url: `/api/v1/products/${mug.id}`, headers: admin, payload: { priceCents: 250, name: 'Renamed mug' } });
    expect(response.statusCode).toBe(200);
    expect(await api.getProducts([mug.id])).toEqual([{ id: mug.id, sku: mug.sku, name: 'Renamed mug', priceCents: 250, currency: 'USD' }]);
  });
});
