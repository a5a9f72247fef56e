// The whole order flow through the public HTTP API only: the same scenario runs against the
// monolith and against the split topology (see *.e2e.test.ts).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import type { HttpClient } from './http-client.js';

export const E2E_ADMIN = { email: 'e2e-admin@example.com', password: 'e2e-admin-password' };
const address = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' };

async function loginAs(client: HttpClient, email: string, password: string): Promise<string> {
  const response = await client.post('/api/v1/auth/login', { email, password });
  expect(response.status).toBe(200);
  return response.body.accessToken;
}

export async function registerCustomer(client: HttpClient) {
  const suffix = randomUUID().slice(0, 8);
  const input = { email: `buyer-${suffix}@example.com`, username: `buyer_${suffix}`, password: 'buyer-password' };
  const registered = await client.post('/api/v1/users', input);
  expect(registered.status).toBe(201);
  return { id: registered.body.id as string, username: input.username, token: await loginAs(client, input.email, input.password) };
}

export async function adminToken(client: HttpClient) {
  return loginAs(client, E2E_ADMIN.email, E2E_ADMIN.password);
}

export async function createProduct(client: HttpClient, admin: string, stock: number, priceCents = 1250) {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  const created = await client.post('/api/v1/products', { sku, name: `Widget ${sku}`, priceCents, stock }, admin);
  expect(created.status).toBe(201);
  return created.body as { id: string; sku: string; name: string; priceCents: number };
}

export async function waitForOrderStatus(client: HttpClient, token: string, orderId: string, status: string) {
  return waitFor(
    async () => {
      const order = await client.get(`/api/v1/orders/${orderId}`, token);
      return order.status === 200 && order.body.status === status && order.body;
    },
    { timeoutMs: 30_000, intervalMs: 50, what: `order ${orderId} to be ${status}` },
  );
}

/** Register → log in → products → order → awaiting_payment → pay → paid → refund → refunded, stock restored. */
export async function runHappyPath(client: HttpClient): Promise<{ placeToPaidMs: number }> {
  const admin = await adminToken(client);
  const customer = await registerCustomer(client);
  const widget = await createProduct(client, admin, 5, 1250);
  const gadget = await createProduct(client, admin, 3, 799);

  const placedAt = performance.now();
  const placed = await client.post(
    '/api/v1/orders',
    { items: [{ productId: widget.id, quantity: 2 }, { productId: gadget.id, quantity: 1 }], shippingAddress: address },
    customer.token,
  );
  expect(placed.status).toBe(201);
  expect(placed.body).toMatchObject({ status: 'pending', totalCents: 2 * 1250 + 799, currency: 'USD', customerId: customer.id });
  const orderId = placed.body.id as string;

  await waitForOrderStatus(client, customer.token, orderId, 'awaiting_payment');
  expect((await client.get(`/api/v1/products/${widget.id}`)).body).toMatchObject({ stock: 5, reserved: 2 });

  const payment = await client.post(
    '/api/v1/payments',
    { orderId, card: { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' } },
    customer.token,
    { 'idempotency-key': `e2e-${randomUUID()}` },
  );
  expect(payment.status).toBe(201);
  expect(payment.body).toMatchObject({ orderId, status: 'succeeded', amountCents: 3299, cardLast4: '4242' });

  const paid = await waitForOrderStatus(client, customer.token, orderId, 'paid');
  const placeToPaidMs = performance.now() - placedAt;
  expect(paid).toMatchObject({ customer: { id: customer.id, username: customer.username } });
  expect(paid.items.map((item: { product: { sku: string } }) => item.product.sku).sort()).toEqual([widget.sku, gadget.sku].sort());
  await waitFor(async () => (await client.get(`/api/v1/products/${widget.id}`)).body.stock === 3, { what: 'the sale to be committed' });

  const refund = await client.post(`/api/v1/payments/${payment.body.id}/refunds`, {}, admin);
  expect(refund.status).toBe(201);
  expect(refund.body).toMatchObject({ amountCents: 3299 });
  await waitForOrderStatus(client, customer.token, orderId, 'refunded');
  await waitFor(
    async () => {
      const [w, g] = await Promise.all([client.get(`/api/v1/products/${widget.id}`), client.get(`/api/v1/products/${gadget.id}`)]);
      return w.body.stock === 5 && w.body.reserved === 0 && g.body.stock === 3 && g.body.reserved === 0;
    },
    { timeoutMs: 30_000, what: 'stock to be restored' },
  );
  return { placeToPaidMs };
}
