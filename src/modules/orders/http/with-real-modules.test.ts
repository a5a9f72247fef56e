// Orders with the real products and payments modules behind it: products created through the
// products API, prices read through the real ProductsApi, and the status moved by the events
// products and payments themselves publish. The other orders tests use stand-ins to drive every
// transition by hand; this one checks that the two modules agree on the contract.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { registerAndLogin, startAppWithAdmin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { shippingAddress } from '../orders.test-support.js';

type Auth = { authorization: string };

describe('orders with the real products and payments modules', () => {
  let app: TestApp;
  let client: Injector;
  let admin: Auth;
  let customer: TestUser;
  let counter = 0;
  beforeAll(async () => ({ app, client, admin } = await startAppWithAdmin()));
  afterAll(() => app.close());
  beforeEach(async () => {
    customer = await registerAndLogin(client);
  });

  async function createProduct(priceCents: number, stock: number): Promise<{ id: string; sku: string; name: string }> {
    counter += 1;
    const response = await client.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: admin,
      payload: { sku: `ORD-${process.pid}-${Date.now().toString(36)}-${counter}`, name: `Orders test product ${counter}`, priceCents, currency: 'USD', stock },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }
  const place = (items: Array<{ productId: string; quantity: number }>) =>
    client.inject({ method: 'POST', url: '/api/v1/orders', headers: customer.auth, payload: { items, shippingAddress: shippingAddress() } });
  const statusBecomes = (orderId: string, status: string) =>
    waitFor(
      async () => {
        const body = (await client.inject({ url: `/api/v1/orders/${orderId}`, headers: customer.auth })).json();
        return body.status === status && body;
      },
      { what: `order ${orderId} to become ${status}` },
    );

  it('prices the order from products and moves it to awaiting_payment once products reserves the stock', async () => {
    const product = await createProduct(1999, 5);
    const response = await place([{ productId: product.id, quantity: 2 }]);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ status: 'pending', items: [{ productId: product.id, quantity: 2, unitPriceCents: 1999 }], totalCents: 3998, currency: 'USD' });
    const order = await statusBecomes(response.json().id, 'awaiting_payment');
    expect(order.items[0].product).toEqual({ id: product.id, sku: product.sku, name: product.name });
    expect(order.customer).toEqual({ id: customer.id, username: customer.username });
    expect(order).not.toHaveProperty('degraded');
  });

  it('becomes paid through payments, then refunded, and can no longer be cancelled', async () => {
    const product = await createProduct(1000, 5);
    const placed = (await place([{ productId: product.id, quantity: 1 }])).json();
    await statusBecomes(placed.id, 'awaiting_payment');
    // Payments learns the order from orders events too; it may answer 409 until it has (each try
    // with a key of its own, as a replayed key would replay the 409).
    let attempt = 0;
    const payment = await waitFor<{ id: string }>(
      async () => {
        const response = await client.inject({
          method: 'POST',
          url: '/api/v1/payments',
          headers: { ...customer.auth, 'idempotency-key': `pay-${placed.id}-${(attempt += 1)}` },
          payload: { orderId: placed.id, card: { number: '4242424242424242', expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123' } },
        });
        return response.statusCode === 201 && response.json();
      },
      { what: 'payments to accept the payment' },
    );
    expect(payment).toMatchObject({ orderId: placed.id, amountCents: 1000, status: 'succeeded' });
    await statusBecomes(placed.id, 'paid');
    expect((await client.inject({ method: 'POST', url: `/api/v1/orders/${placed.id}/cancel`, headers: customer.auth })).statusCode).toBe(409);
    const refund = await client.inject({ method: 'POST', url: `/api/v1/payments/${payment.id}/refunds`, headers: admin, payload: {} });
    expect(refund.statusCode, refund.body).toBe(201);
    await statusBecomes(placed.id, 'refunded');
  });

  it('ends rejected when products cannot reserve the stock', async () => {
    const product = await createProduct(500, 1);
    const response = await place([{ productId: product.id, quantity: 2 }]);
    expect(response.statusCode).toBe(201);
    await statusBecomes(response.json().id, 'rejected');
  });

  it('answers 422 for a product the products module does not have', async () => {
    const product = await createProduct(500, 1);
    const response = await place([{ productId: product.id, quantity: 1 }, { productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }]);
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ path: 'items.1.productId', message: expect.any(String) }]);
  });
});
