// 50 customers order the last 10 units at once, through the public API of the real app: exactly
// 10 orders can be paid for, 40 are rejected, and the product's numbers add up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ADMIN_ENV, loginAdmin, registerAndLogin, type TestUser } from '../support/users.js';
import { waitFor } from '../support/wait-for.js';

describe('the race for the last units', () => {
  let app: TestApp;
  let customers: TestUser[];
  beforeAll(async () => {
    app = await startTestApp({ env: ADMIN_ENV });
    customers = [];
    for (let i = 0; i < 50; i++) customers.push(await registerAndLogin(app.server));
  });
  afterAll(() => app.close());

  it('lets exactly 10 of 50 concurrent orders reserve a product with stock 10', async () => {
    const admin = (await loginAdmin(app.server)).auth;
    const created = await app.server.inject({ method: 'POST', url: '/api/v1/products', headers: admin, payload: { sku: 'LAST-10', name: 'Scarce', priceCents: 999, stock: 10 } });
    const productId = created.json().id as string;
    const shippingAddress = { street: '3 Race Road', city: 'Speedway', zipCode: '99999', country: 'US' };

    const placed = await Promise.all(
      customers.map((customer) =>
        app.server.inject({ method: 'POST', url: '/api/v1/orders', headers: customer.auth, payload: { items: [{ productId, quantity: 1 }], shippingAddress } }),
      ),
    );
    expect(placed.map((response) => response.statusCode)).toEqual(Array(50).fill(201));

    const statuses = await waitFor(async () => {
      const all = await Promise.all(
        placed.map((response, index) => app.server.inject({ url: `/api/v1/orders/${response.json().id}`, headers: customers[index]!.auth })),
      );
      const current = all.map((response) => response.json().status as string);
      return current.every((status) => status !== 'pending') && current;
    }, { timeoutMs: 30_000, what: 'every order to leave pending' });

    expect(statuses.filter((status) => status === 'awaiting_payment')).toHaveLength(10);
    expect(statuses.filter((status) => status === 'rejected')).toHaveLength(40);
    const product = (await app.server.inject({ url: `/api/v1/products/${productId}` })).json();
    expect(product).toMatchObject({ stock: 10, reserved: 10 });
  });
});
