// GET /api/v1/orders/:id composes the order from three modules. When products or users cannot
// answer (their contract throws, or hangs past the deadline), the order is still answered with
// 200, the missing part null and the module named in `degraded`; the customer then comes from the
// orders module's own copy of usernames, fed by users.user-registered and users.user-updated.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsersContract } from '../../users/api.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest } from '../../../../test/support/module-test.js';
import { standIn } from '../../../../test/support/stand-in.js';
import { newUserInput, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { CONTRACT_DEADLINE_MS } from '../contract-call.js';
import { fakeCatalog, placeOrderAs, type FakeCatalog } from '../orders.test-support.js';

type Auth = { authorization: string };

async function placeOrder(client: Injector, catalog: FakeCatalog, customer: TestUser) {
  const product = catalog.add({ sku: 'SKU-COMPOSED', name: 'Composed product' });
  const order = await placeOrderAs(client, customer, [{ productId: product.id, quantity: 2 }]);
  return { order, product };
}

const get = (client: Injector, id: string, auth: Auth) => client.inject({ url: `/api/v1/orders/${id}`, headers: auth });

describe('order composition when products cannot answer', () => {
  const catalog = fakeCatalog();
  let app: TestApp;
  let client: Injector;
  let admin: Auth;
  let customer: TestUser;
  beforeAll(async () => ({ app, client, admin } = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn] })));
  afterAll(() => app.close());
  beforeEach(async () => {
    catalog.mode = 'answering';
    customer = await registerAndLogin(client);
  });

  it('composes customer and products, without degraded, when both modules answer', async () => {
    const { order, product } = await placeOrder(client, catalog, customer);
    const response = await get(client, order.id, customer.auth);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.customer).toEqual({ id: customer.id, username: customer.username });
    expect(body.items).toEqual([{ productId: product.id, quantity: 2, unitPriceCents: product.priceCents, product: { id: product.id, sku: product.sku, name: product.name } }]);
    expect(body).not.toHaveProperty('degraded');
  });

  it('answers 200 with every product null and degraded ["products"] when the products contract throws', async () => {
    const { order, product } = await placeOrder(client, catalog, customer);
    catalog.mode = 'failing';
    const response = await get(client, order.id, customer.auth);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.degraded).toEqual(['products']);
    expect(body.items).toEqual([{ productId: product.id, quantity: 2, unitPriceCents: product.priceCents, product: null }]);
    expect(body.customer).toEqual({ id: customer.id, username: customer.username });
    expect(body).toMatchObject({ id: order.id, status: 'pending', totalCents: 2 * product.priceCents });
    expect(response.body).not.toContain('products is down');
  });

  it('answers an admin the same degraded order', async () => {
    const { order } = await placeOrder(client, catalog, customer);
    catalog.mode = 'failing';
    const response = await get(client, order.id, admin);
    expect(response.statusCode).toBe(200);
    expect(response.json().degraded).toEqual(['products']);
  });

  it(
    'answers 200 with degraded ["products"] when the products contract hangs past the deadline',
    async () => {
      const { order } = await placeOrder(client, catalog, customer);
      catalog.mode = 'hanging';
      const started = Date.now();
      const response = await get(client, order.id, customer.auth);
      expect(response.statusCode).toBe(200);
      expect(response.json().degraded).toEqual(['products']);
      expect(response.json().items[0].product).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(CONTRACT_DEADLINE_MS - 100);
    },
    CONTRACT_DEADLINE_MS + 10_000,
  );

  it('asks products again on the next request: a recovered module gives a whole answer', async () => {
    const { order } = await placeOrder(client, catalog, customer);
    catalog.mode = 'failing';
    expect((await get(client, order.id, customer.auth)).json().degraded).toEqual(['products']);
    catalog.mode = 'answering';
    const body = (await get(client, order.id, customer.auth)).json();
    expect(body).not.toHaveProperty('degraded');
    expect(body.items[0].product).not.toBeNull();
  });
});

describe('order composition when users cannot answer', () => {
  const catalog = fakeCatalog();
  const users = {
    mode: 'failing' as 'answering' | 'failing',
    calls: 0,
    // Users is hosted for real (registration, sign-in, its events); only its contract is stood in.
    standIn: standIn(UsersContract, {
      getPublicProfiles: async () => {
        users.calls += 1;
        if (users.mode === 'failing') throw new Error('users is down');
        return [];
      },
    }),
  };
  let app: TestApp;
  let client: Injector;
  let customer: TestUser;
  beforeAll(async () => ({ app, client } = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn, users.standIn] })));
  afterAll(() => app.close());
  beforeEach(async () => {
    catalog.mode = 'answering';
    users.mode = 'failing';
    customer = await registerAndLogin(client);
  });

  const replicaOf = async (userId: string) =>
    (await query<{ username: string }>(app.databaseUrl, 'select username from orders.customers where user_id = $1', [userId]))[0]?.username;

  it('fills the customer from the local copy of the username and still reports degraded ["users"]', async () => {
    const { order, product } = await placeOrder(client, catalog, customer);
    await waitFor(async () => (await replicaOf(customer.id)) === customer.username, { what: 'the username copy of a registered user' });
    const callsBefore = users.calls;
    const response = await get(client, order.id, customer.auth);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(users.calls).toBeGreaterThan(callsBefore);
    expect(body.degraded).toEqual(['users']);
    expect(body.customer).toEqual({ id: customer.id, username: customer.username });
    expect(body.items[0].product).toEqual({ id: product.id, sku: product.sku, name: product.name });
    expect(response.body).not.toContain('users is down');
  });

  it('follows a rename through users.user-updated', async () => {
    const { order } = await placeOrder(client, catalog, customer);
    const renamed = newUserInput().username;
    const patch = await client.inject({ method: 'PATCH', url: `/api/v1/users/${customer.id}`, headers: customer.auth, payload: { username: renamed } });
    expect(patch.statusCode).toBe(200);
    await waitFor(async () => (await replicaOf(customer.id)) === renamed, { what: 'the renamed username in the copy' });
    const body = (await get(client, order.id, customer.auth)).json();
    expect(body.customer).toEqual({ id: customer.id, username: renamed });
    expect(body.degraded).toEqual(['users']);
  });

  it('answers customer null with degraded ["users"] when there is no local copy either', async () => {
    const { order } = await placeOrder(client, catalog, customer);
    await waitFor(async () => (await replicaOf(customer.id)) !== undefined, { what: 'the username copy' });
    await query(app.databaseUrl, 'delete from orders.customers where user_id = $1', [customer.id]);
    const response = await get(client, order.id, customer.auth);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ customer: null, degraded: ['users'] });
  });

  it('names both modules when neither answers', async () => {
    const { order } = await placeOrder(client, catalog, customer);
    catalog.mode = 'failing';
    const body = (await get(client, order.id, customer.auth)).json();
    expect([...body.degraded].sort()).toEqual(['products', 'users']);
    expect(body.items[0].product).toBeNull();
  });

  it('shows customer null without degraded when users answers but no longer knows the customer', async () => {
    const { order } = await placeOrder(client, catalog, customer);
    users.mode = 'answering';
    const body = (await get(client, order.id, customer.auth)).json();
    expect(body.customer).toBeNull();
    expect(body).not.toHaveProperty('degraded');
  });
});
