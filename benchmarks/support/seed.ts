// What the benchmark's requests need, created through the public API: an admin, a customer, three
// products with stock for every order a run can place, and one paid order to read back.
import { randomUUID } from 'node:crypto';
import { ADMIN } from './processes.js';

export const ADDRESS = { street: '1 Bench Street', city: 'Springfield', zipCode: '12345', country: 'US' };

async function call(url: string, method: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export interface Seed {
  customerToken: string;
  productIds: string[];
  orderId: string;
  paymentId: string;
  orderBody: unknown;
}

export async function seed(base: string): Promise<Seed> {
  const admin = (await call(`${base}/api/v1/auth/login`, 'POST', ADMIN)).accessToken as string;
  const suffix = randomUUID().slice(0, 8);
  const customer = { email: `bench-${suffix}@example.com`, username: `bench_${suffix}`, password: 'bench-customer-password' };
  await call(`${base}/api/v1/users`, 'POST', customer);
  const customerToken = (await call(`${base}/api/v1/auth/login`, 'POST', { email: customer.email, password: customer.password })).accessToken as string;
  const productIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const product = await call(`${base}/api/v1/products`, 'POST', { sku: `BENCH-${suffix}-${i}`, name: `Bench product ${i}`, priceCents: 1250 + i, stock: 2_000_000_000 }, admin);
    productIds.push(product.id);
  }
  const orderBody = { items: productIds.map((productId) => ({ productId, quantity: 1 })), shippingAddress: ADDRESS };
  const order = await call(`${base}/api/v1/orders`, 'POST', orderBody, customerToken);
  const payment = await until(() =>
    call(`${base}/api/v1/payments`, 'POST', { orderId: order.id, card: { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' } }, customerToken, {
      'idempotency-key': `bench-${order.id}`,
    }).catch(() => null),
  );
  return { customerToken, productIds, orderId: order.id, paymentId: payment.id, orderBody };
}

/** Polls `probe` until it gives a value, for at most `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
