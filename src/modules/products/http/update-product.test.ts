// PATCH /api/v1/products/:id: an admin changes name, description, price or stock; stock never
// drops below the units reserved for orders.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { createProduct, placeOrder, reservationOf, stockOf } from '../products.test-support.js';

describe('PATCH /api/v1/products/:id', () => {
  let scenario: Scenario;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const patch = (id: string, payload: unknown, headers: Record<string, string> = admin) =>
    app.server.inject({ method: 'PATCH', url: `/api/v1/products/${id}`, headers, payload: payload as object });
  const get = async (id: string) => (await app.server.inject({ url: `/api/v1/products/${id}` })).json();

  it('changes every editable field at once and answers 200 with the product', async () => {
    const product = await createProduct(app, admin);
    const response = await patch(product.id, { name: 'Renamed', description: 'New text', priceCents: 4200, stock: 25 });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id: product.id, sku: product.sku, name: 'Renamed', description: 'New text', priceCents: 4200, currency: 'USD', stock: 25, reserved: 0 });
    expect(await get(product.id)).toEqual(body);
  });

  it('changes only the fields sent', async () => {
    const product = await createProduct(app, admin, { stock: 3 });
    const before = await get(product.id);
    const response = await patch(product.id, { priceCents: 999 });
    expect(response.statusCode).toBe(200);
    const { updatedAt: _after, ...rest } = response.json();
    const { updatedAt: _before, ...expected } = before;
    expect(rest).toEqual({ ...expected, priceCents: 999 });
  });

  it('moves updatedAt forward and keeps createdAt', async () => {
    const product = await createProduct(app, admin);
    const before = await get(product.id);
    await waitFor(async () => Date.now() > Date.parse(before.updatedAt) + 2);
    const after = (await patch(product.id, { name: 'Later' })).json();
    expect(after.createdAt).toBe(before.createdAt);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
  });

  it('trims the name and description, and clears the description with null', async () => {
    const product = await createProduct(app, admin);
    expect((await patch(product.id, { name: '  Tidy  ', description: '  text  ' })).json()).toMatchObject({ name: 'Tidy', description: 'text' });
    expect((await patch(product.id, { description: null })).json()).toMatchObject({ description: null });
  });

  it('lets stock go down to exactly the reserved units, and answers 409 below that', async () => {
    const product = await createProduct(app, admin, { stock: 10 });
    const order = await placeOrder(scenario, [{ productId: product.id, quantity: 4 }]);
    await waitFor(async () => (await reservationOf(app, order.orderId))?.status === 'reserved', { what: 'the reservation' });

    const refused = expectProblem(await patch(product.id, { stock: 3 }), 409);
    expect(refused.detail).toMatch(/reserved/);
    expect(await stockOf(app, product.id)).toEqual({ stock: 10, reserved: 4 });

    const response = await patch(product.id, { stock: 4 });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ stock: 4, reserved: 4 });
  });

  it('applies nothing of a request refused with 409', async () => {
    const product = await createProduct(app, admin, { stock: 5 });
    const order = await placeOrder(scenario, [{ productId: product.id, quantity: 5 }]);
    await waitFor(async () => (await reservationOf(app, order.orderId))?.status === 'reserved', { what: 'the reservation' });
    expectProblem(await patch(product.id, { name: 'Should not stick', stock: 0 }), 409);
    expect(await get(product.id)).toMatchObject({ name: product.name, stock: 5, reserved: 5 });
  });

  it('answers 404 for an unknown id', async () => {
    expectProblem(await patch(randomUUID(), { name: 'x' }), 404);
    expectProblem(await patch(randomUUID(), { stock: 1 }), 404);
  });

  it('answers 400 naming the id when it is not a UUID', async () => {
    expectProblem(await patch('not-a-uuid', { name: 'x' }), 400, ['params.id']);
  });

  it('answers 400 to an empty body', async () => {
    const product = await createProduct(app, admin);
    expectProblem(await patch(product.id, {}), 400);
  });

  it.each([
    ['sku', 'NEW-SKU'],
    ['currency', 'EUR'],
    ['reserved', 0],
    ['id', randomUUID()],
  ])('rejects %s, which cannot be changed, with 400 naming it', async (field, value) => {
    const product = await createProduct(app, admin);
    expectProblem(await patch(product.id, { [field]: value }), 400, [field]);
    expect(await get(product.id)).toMatchObject({ sku: product.sku, currency: product.currency });
  });

  it.each([
    ['name', ''],
    ['name', '   '],
    ['name', 'n'.repeat(201)],
    ['name', null],
    ['description', 'd'.repeat(2001)],
    ['priceCents', 0],
    ['priceCents', -1],
    ['priceCents', 1.5],
    ['priceCents', '100'],
    ['stock', -1],
    ['stock', 2.5],
    ['stock', null],
  ])('rejects %s = %j with 400 naming it', async (field, value) => {
    const product = await createProduct(app, admin);
    expectProblem(await patch(product.id, { [field]: value }), 400, [field]);
  });

  it('answers 401 without a token and 403 to a customer, changing nothing', async () => {
    const product = await createProduct(app, admin);
    const customer = await registerAndLogin(app.server);
    expectProblem(await patch(product.id, { name: 'Hijacked' }, {}), 401);
    expectProblem(await patch(product.id, { name: 'Hijacked' }, customer.auth), 403);
    expect((await get(product.id)).name).toBe(product.name);
  });
});
