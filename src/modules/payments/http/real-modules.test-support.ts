// Helpers for payments tests that run with every real module: products created through the
// products API, orders placed and cancelled through the orders API, paid through the payments API.
// Test-only code: the production build leaves *.test-support.ts files out.
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Injector, TestUser } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';

type Auth = { authorization: string };

const SHIPPING_ADDRESS = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' };
export const CARD = { number: '4242424242424242', expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123' };

export async function createProduct(client: Injector, admin: Auth, { priceCents = 1000, stock = 100 } = {}): Promise<{ id: string }> {
  const response = await client.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: admin,
    payload: { sku: `PAY-${randomUUID().slice(0, 13)}`, name: 'Payments test product', priceCents, currency: 'USD', stock },
  });
  if (response.statusCode !== 201) throw new Error(`creating a product answered ${response.statusCode}: ${response.body}`);
  return response.json();
}

export async function productStock(client: Injector, productId: string): Promise<{ stock: number; reserved: number }> {
  const { stock, reserved } = (await client.inject({ url: `/api/v1/products/${productId}` })).json();
  return { stock, reserved };
}

/** Places an order of one unit; resolves to its id. */
export async function placeOrder(client: Injector, customer: TestUser, productId: string): Promise<string> {
  const response = await client.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: customer.auth,
    payload: { items: [{ productId, quantity: 1 }], shippingAddress: SHIPPING_ADDRESS },
  });
  if (response.statusCode !== 201) throw new Error(`placing an order answered ${response.statusCode}: ${response.body}`);
  return response.json().id;
}

export async function orderStatus(client: Injector, customer: TestUser, orderId: string): Promise<string> {
  return (await client.inject({ url: `/api/v1/orders/${orderId}`, headers: customer.auth })).json().status;
}

export async function untilOrderStatus(client: Injector, customer: TestUser, orderId: string, status: string): Promise<void> {
  await waitFor(async () => (await orderStatus(client, customer, orderId)) === status, { what: `order ${orderId} to be ${status}` });
}

export function pay(client: Injector, customer: TestUser, orderId: string): Promise<LightMyRequestResponse> {
  return client.inject({
    method: 'POST',
    url: '/api/v1/payments',
    headers: { ...customer.auth, 'idempotency-key': randomUUID() },
    payload: { orderId, card: CARD },
  });
}

export function cancel(client: Injector, customer: TestUser, orderId: string): Promise<LightMyRequestResponse> {
  return client.inject({ method: 'POST', url: `/api/v1/orders/${orderId}/cancel`, headers: customer.auth });
}

/** The order's payments as its customer sees them. */
export async function paymentsOfOrder(client: Injector, customer: TestUser, orderId: string): Promise<Array<{ status: string; amountCents: number }>> {
  const response = await client.inject({ url: `/api/v1/payments?orderId=${orderId}&limit=100`, headers: customer.auth });
  return response.statusCode === 200 ? response.json().items : [];
}
