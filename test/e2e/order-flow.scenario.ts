// The whole order flow through the public HTTP API only, through the generated client: the same
// scenario runs against the monolith and against the split topology (see order-flow.*.test.ts).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { OrderStatus } from '../../clients/typescript/shop-api.js';
import { waitFor } from '../support/wait-for.js';
import { as, type ShopClient } from './http-client.js';

export const E2E_ADMIN = { email: 'e2e-admin@example.com', password: 'e2e-admin-password' };
const address = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' } as const;

export async function loginAs(client: ShopClient, email: string, password: string): Promise<string> {
  const response = await client.auth.login({ email, password });
  expect(response.status, JSON.stringify(response.error)).toBe(200);
  return response.data.accessToken;
}

export async function registerCustomer(client: ShopClient) {
  const suffix = randomUUID().slice(0, 8);
  const input = { email: `buyer-${suffix}@example.com`, username: `buyer_${suffix}`, password: 'buyer-password' };
  const registered = await client.users.registerUser(input);
  expect(registered.status, JSON.stringify(registered.error)).toBe(201);
  return { id: registered.data.id, username: input.username, token: await loginAs(client, input.email, input.password) };
}

export async function adminToken(client: ShopClient) {
  return loginAs(client, E2E_ADMIN.email, E2E_ADMIN.password);
}

export async function createProduct(client: ShopClient, admin: string, stock: number, priceCents = 1250) {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  const created = await client.products.createProduct({ sku, name: `Widget ${sku}`, priceCents, stock }, as(admin));
  expect(created.status, JSON.stringify(created.error)).toBe(201);
  return created.data;
}

export async function waitForOrderStatus(client: ShopClient, token: string, orderId: string, status: OrderStatus) {
  return waitFor(
    async () => {
      const order = await client.orders.getOrder(orderId, as(token));
      return order.status === 200 && order.data.status === status && order.data;
    },
    { timeoutMs: 30_000, intervalMs: 50, what: `order ${orderId} to be ${status}` },
  );
}

/** Register → log in → products → order → awaiting_payment → pay → paid → refund → refunded, stock restored. */
export async function runHappyPath(client: ShopClient): Promise<{ placeToPaidMs: number }> {
  const admin = await adminToken(client);
  const customer = await registerCustomer(client);
  const widget = await createProduct(client, admin, 5, 1250);
  const gadget = await createProduct(client, admin, 3, 799);
  const stockOf = async (productId: string) => (await client.products.getProduct(productId)).data;

  const placedAt = performance.now();
  const placed = await client.orders.placeOrder(
    { items: [{ productId: widget.id, quantity: 2 }, { productId: gadget.id, quantity: 1 }], shippingAddress: address },
    as(customer.token),
  );
  expect(placed.status, JSON.stringify(placed.error)).toBe(201);
  expect(placed.data).toMatchObject({ status: 'pending', totalCents: 2 * 1250 + 799, currency: 'USD', customerId: customer.id });
  const orderId = placed.data.id;

  await waitForOrderStatus(client, customer.token, orderId, 'awaiting_payment');
  expect(await stockOf(widget.id)).toMatchObject({ stock: 5, reserved: 2 });

  const payment = await client.payments.createPayment(
    { orderId, card: { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' } },
    as(customer.token, { 'idempotency-key': `e2e-${randomUUID()}` }),
  );
  expect(payment.status, JSON.stringify(payment.error)).toBe(201);
  expect(payment.data).toMatchObject({ orderId, status: 'succeeded', amountCents: 3299, cardLast4: '4242' });

  const paid = await waitForOrderStatus(client, customer.token, orderId, 'paid');
  const placeToPaidMs = performance.now() - placedAt;
  expect(paid).toMatchObject({ customer: { id: customer.id, username: customer.username } });
  expect(paid.items.map((item) => item.product?.sku).sort()).toEqual([widget.sku, gadget.sku].sort());
  await waitFor(async () => (await stockOf(widget.id)).stock === 3, { what: 'the sale to be committed' });

  const refund = await client.payments.refundPayment(payment.data.id, {}, as(admin));
  expect(refund.status, JSON.stringify(refund.error)).toBe(201);
  expect(refund.data).toMatchObject({ amountCents: 3299 });
  await waitForOrderStatus(client, customer.token, orderId, 'refunded');
  await waitFor(
    async () => {
      const [w, g] = await Promise.all([stockOf(widget.id), stockOf(gadget.id)]);
      return w.stock === 5 && w.reserved === 0 && g.stock === 3 && g.reserved === 0;
    },
    { timeoutMs: 30_000, what: 'stock to be restored' },
  );
  return { placeToPaidMs };
}
