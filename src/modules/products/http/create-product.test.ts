// POST /api/v1/products: an admin adds a product; its validation, conflicts and who may do it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';
import { newProductInput } from '../products.test-support.js';

describe('POST /api/v1/products', () => {
  let scenario: Scenario;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const create = (payload: unknown, headers: Record<string, string> = admin) =>
    app.server.inject({ method: 'POST', url: '/api/v1/products', headers, payload: payload as object });

  it('creates the product and answers 201 with it, nothing reserved yet', async () => {
    const input = newProductInput({ stock: 7, priceCents: 2500, currency: 'EUR' });
    const response = await create(input);
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const product = response.json();
    expect(Object.keys(product).sort()).toEqual(['createdAt', 'currency', 'description', 'id', 'name', 'priceCents', 'reserved', 'sku', 'stock', 'updatedAt']);
    expect(product).toEqual({
      id: expect.stringMatching(UUID),
      sku: input.sku,
      name: input.name,
      description: input.description,
      priceCents: 2500,
      currency: 'EUR',
      stock: 7,
      reserved: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(new Date(product.createdAt).toISOString()).toBe(product.createdAt);
    expect(new Date(product.updatedAt).toISOString()).toBe(product.updatedAt);
  });

  it('stores the product so that GET answers it', async () => {
    const created = (await create(newProductInput())).json();
    const response = await app.server.inject({ url: `/api/v1/products/${created.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(created);
  });

  it('defaults the currency to USD and the description to null', async () => {
    const { currency: _currency, description: _description, ...input } = newProductInput();
    const response = await create(input);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ currency: 'USD', description: null });
  });

  it('accepts a null description and a stock of 0', async () => {
    const response = await create(newProductInput({ description: null, stock: 0 }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ description: null, stock: 0, reserved: 0 });
  });

  it('trims sku, name, description and currency', async () => {
    const input = newProductInput();
    const response = await create({ ...input, sku: `  ${input.sku} `, name: '  Blue mug ', description: '  Holds tea.  ', currency: ' GBP ' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ sku: input.sku, name: 'Blue mug', description: 'Holds tea.', currency: 'GBP' });
    const [row] = await query(app.databaseUrl, 'select sku, name, description, currency from products.products where id = $1', [response.json().id]);
    expect(row).toEqual({ sku: input.sku, name: 'Blue mug', description: 'Holds tea.', currency: 'GBP' });
  });

  it('accepts the bounds: a 64-character sku, a 200-character name and a price of 1 cent', async () => {
    const response = await create(newProductInput({ sku: `B-${Date.now()}`.padEnd(64, 'x'), name: 'n'.repeat(200), priceCents: 1 }));
    expect(response.statusCode).toBe(201);
  });

  it('answers 409 when the sku is taken, and keeps the first product', async () => {
    const first = newProductInput();
    expect((await create(first)).statusCode).toBe(201);
    const body = expectProblem(await create(newProductInput({ sku: first.sku, name: 'Another' })), 409);
    expect(body.detail).toContain(first.sku);
    const rows = await query(app.databaseUrl, 'select name from products.products where sku = $1', [first.sku]);
    expect(rows).toEqual([{ name: first.name }]);
  });

  it('answers 409 when the sku differs from a taken one only by surrounding blanks', async () => {
    const first = newProductInput();
    expect((await create(first)).statusCode).toBe(201);
    expectProblem(await create(newProductInput({ sku: ` ${first.sku}  ` })), 409);
  });

  it('rejects an unknown property, such as reserved, with 400 naming it and creates nothing', async () => {
    const input = newProductInput();
    const body = expectProblem(await create({ ...input, reserved: 3 }), 400, ['reserved']);
    expect(body.errors).toEqual([{ path: 'reserved', message: 'is not an allowed property' }]);
    expect(await query(app.databaseUrl, 'select 1 from products.products where sku = $1', [input.sku])).toEqual([]);
  });

  it('names every missing required field', async () => {
    expectProblem(await create({}), 400, ['sku', 'name', 'priceCents', 'stock']);
  });

  it.each([
    ['sku', ''],
    ['sku', '   '],
    ['sku', 's'.repeat(65)],
    ['sku', 'has space'],
    ['sku', 42],
    ['name', ''],
    ['name', '   '],
    ['name', 'n'.repeat(201)],
    ['name', null],
    ['description', 'd'.repeat(2001)],
    ['description', 7],
    ['priceCents', 0],
    ['priceCents', -100],
    ['priceCents', 19.99],
    ['priceCents', '1999'],
    ['priceCents', 2_147_483_648],
    ['priceCents', null],
    ['currency', 'usd'],
    ['currency', 'US'],
    ['currency', 'USDX'],
    ['currency', 'XYZ'],
    ['currency', ''],
    ['currency', null],
    ['stock', -1],
    ['stock', 1.5],
    ['stock', '10'],
    ['stock', 2_147_483_648],
  ])('rejects %s = %j with 400 naming it', async (field, value) => {
    expectProblem(await create(newProductInput({ [field]: value })), 400, [field]);
  });

  it('answers 400 problem+json to a body that is not JSON', async () => {
    const response = await app.server.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"sku": ',
    });
    expectProblem(response, 400);
  });

  it('answers 400 to a JSON body that is not an object', async () => {
    const response = await app.server.inject({ method: 'POST', url: '/api/v1/products', headers: { ...admin, 'content-type': 'application/json' }, payload: '[]' });
    expectProblem(response, 400);
  });

  it('answers 401 without a token and with a bad token, and creates nothing', async () => {
    const input = newProductInput();
    expectProblem(await create(input, {}), 401);
    expectProblem(await create(input, { authorization: 'Bearer not-a-token' }), 401);
    expect(await query(app.databaseUrl, 'select 1 from products.products where sku = $1', [input.sku])).toEqual([]);
  });

  it('answers 403 to a customer, and creates nothing', async () => {
    const customer = await registerAndLogin(app.server);
    const input = newProductInput();
    expectProblem(await create(input, customer.auth), 403);
    expect(await query(app.databaseUrl, 'select 1 from products.products where sku = $1', [input.sku])).toEqual([]);
  });
});
