// The OpenAPI document holds against real traffic: Prism's validation proxy sits between these
// requests and the real app (listening on loopback) and checks each request and answer against the
// served document. A whole order flow goes through one that checks both; the error cases go
// through one that lets forbidden requests reach the app (they are meant to break the document)
// and checks only that the app's answers are documented.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrismProxy, type PrismProxy } from './support/prism-proxy.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { ADMIN_ENV, newUserInput, TEST_ADMIN } from './support/users.js';
import { waitFor } from './support/wait-for.js';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

const ADDRESS = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' };
const card = () => ({ number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' });

describe('the OpenAPI document, checked by Prism against real traffic', () => {
  let app: TestApp;
  let strict: PrismProxy;
  let lenient: PrismProxy;

  beforeAll(async () => {
    app = await startTestApp({ env: ADMIN_ENV });
    await app.server.listen({ host: '127.0.0.1', port: 0 });
    const upstream = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    const document = (await app.server.inject({ url: '/docs/json' })).json();
    [strict, lenient] = await Promise.all([
      startPrismProxy(document, upstream, { validateRequests: true }),
      startPrismProxy(document, upstream, { validateRequests: false }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([strict?.close(), lenient?.close()]);
    await app?.close();
  });

  async function send(proxy: PrismProxy, method: string, url: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${proxy.url}${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the message
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** Prism found nothing wrong, and the app answered `status`. */
  function expectValid(answer: Answer, status: number, what: string): void {
    const violations = answer.headers.get('sl-violations');
    expect(violations, `${what}: Prism reports ${violations}`).toBeNull();
    expect(JSON.stringify(answer.body), what).not.toMatch(/stoplight\.io\/prism\/errors/);
    expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(status);
  }

  async function call(proxy: PrismProxy, status: number, method: string, url: string, options: Parameters<typeof send>[3] = {}): Promise<Answer> {
    const answer = await send(proxy, method, url, options);
    expectValid(answer, status, `${method} ${url}`);
    return answer;
  }

  let customer: { id: string; token: string; email: string };
  let adminToken: string;
  let productId: string;
  let paidOrderId: string;
  let paymentId: string;
  let firstPaymentKey: string;

  it('passes a whole order flow: register, sign in, catalog, orders in both body shapes, an idempotent payment, refunds', async () => {
    const input = newUserInput();
    const registered = await call(strict, 201, 'POST', '/api/v1/users', { body: input });
    const signedIn = await call(strict, 200, 'POST', '/api/v1/auth/login', { body: { email: input.email, password: input.password } });
    customer = { id: registered.body.id, token: signedIn.body.accessToken, email: input.email };
    await call(strict, 200, 'GET', '/api/v1/users/me', { token: customer.token });
    await call(strict, 201, 'POST', `/api/v1/users/${customer.id}/addresses`, { token: customer.token, body: ADDRESS });
    await call(strict, 200, 'GET', `/api/v1/users/${customer.id}/addresses`, { token: customer.token });

    adminToken = (await call(strict, 200, 'POST', '/api/v1/auth/login', { body: TEST_ADMIN })).body.accessToken;
    productId = (
      await call(strict, 201, 'POST', '/api/v1/products', { token: adminToken, body: { sku: `PRISM-${randomUUID().slice(0, 8)}`, name: 'Prism mug', priceCents: 1500, stock: 50 } })
    ).body.id;
    await call(strict, 200, 'PATCH', `/api/v1/products/${productId}`, { token: adminToken, body: { description: 'Checked by Prism' } });
    const catalog = await call(strict, 200, 'GET', '/api/v1/products');
    expect(catalog.body.items.length).toBeLessThanOrEqual(20);
    await call(strict, 200, 'GET', `/api/v1/products/${productId}`);

    paidOrderId = (await call(strict, 201, 'POST', '/api/v1/orders', { token: customer.token, body: { items: [{ productId, quantity: 2 }], shippingAddress: ADDRESS } })).body.id;
    const legacyOrderId = (await call(strict, 201, 'POST', '/api/v1/orders', { token: customer.token, body: { products: [{ id: productId, qty: 1 }], shippingAddress: ADDRESS } })).body.id;
    for (const id of [paidOrderId, legacyOrderId]) {
      await waitFor(async () => (await call(strict, 200, 'GET', `/api/v1/orders/${id}`, { token: customer.token })).body.status === 'awaiting_payment', { what: `order ${id} awaiting payment` });
    }
    await call(strict, 200, 'GET', '/api/v1/orders?status=awaiting_payment', { token: customer.token });
    await call(strict, 200, 'POST', `/api/v1/orders/${legacyOrderId}/cancel`, { token: customer.token });

    const key = `prism-${randomUUID()}`;
    firstPaymentKey = key;
    const payment = { orderId: paidOrderId, card: card() };
    const first = await call(strict, 201, 'POST', '/api/v1/payments', { token: customer.token, body: payment, headers: { 'idempotency-key': key } });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const replay = await call(strict, 201, 'POST', '/api/v1/payments', { token: customer.token, body: payment, headers: { 'idempotency-key': key } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    paymentId = first.body.id;
    await call(strict, 200, 'GET', `/api/v1/payments/${paymentId}`, { token: customer.token });
    await call(strict, 200, 'GET', `/api/v1/payments?orderId=${paidOrderId}`, { token: customer.token });

    await call(strict, 201, 'POST', `/api/v1/payments/${paymentId}/refunds`, { token: adminToken, body: { amountCents: 1000 } });
    const rest = await call(strict, 201, 'POST', `/api/v1/payments/${paymentId}/refunds`, { token: adminToken });
    expect(rest.body.amountCents).toBe(2000);
    expect(first.headers.get('x-request-id')).toBeTruthy();
  });

  it('documents the answers to requests that go wrong', async () => {
    expect(customer, 'the order flow ran first').toBeDefined();
    const unknownId = randomUUID();
    await call(lenient, 400, 'POST', '/api/v1/users', { body: { email: 'not-an-email', username: 'x' } });
    await call(lenient, 400, 'POST', '/api/v1/users', { raw: '{"email":', headers: { 'content-type': 'application/json' } });
    await call(lenient, 400, 'GET', '/api/v1/products?limit=0');
    // Without any token Prism answers by itself (a security violation, whatever --validate-request
    // says): the document demands one. A token the app refuses reaches it.
    const anonymous = await send(lenient, 'GET', '/api/v1/orders');
    expect([anonymous.status, anonymous.body.type]).toEqual([401, 'https://stoplight.io/prism/errors#UNAUTHORIZED']);
    await call(lenient, 401, 'GET', '/api/v1/orders', { token: 'not-a-token' });
    await call(lenient, 401, 'POST', '/api/v1/auth/login', { body: { email: customer.email, password: 'not-the-password' } });
    await call(lenient, 403, 'POST', '/api/v1/products', { token: customer.token, body: { sku: 'NOPE', name: 'Nope', priceCents: 1, stock: 1 } });
    await call(lenient, 404, 'GET', `/api/v1/products/${unknownId}`);
    await call(lenient, 404, 'GET', `/api/v1/orders/${unknownId}`, { token: customer.token });
    await call(lenient, 409, 'POST', `/api/v1/orders/${paidOrderId}/cancel`, { token: customer.token });
    await call(lenient, 409, 'POST', '/api/v1/users', { body: { ...newUserInput(), email: customer.email } });
    await call(lenient, 422, 'POST', `/api/v1/payments/${paymentId}/refunds`, { token: adminToken, body: { amountCents: 1 } });
    await call(lenient, 422, 'POST', '/api/v1/orders', { token: customer.token, body: { items: [{ productId: unknownId, quantity: 1 }], shippingAddress: ADDRESS } });
    await call(lenient, 422, 'POST', '/api/v1/payments', { token: customer.token, body: { orderId: paidOrderId, card: { ...card(), cvc: '999' } }, headers: { 'idempotency-key': firstPaymentKey } });
    await call(lenient, 415, 'POST', '/api/v1/users', { raw: '<user/>', headers: { 'content-type': 'application/xml' } });
    await call(lenient, 413, 'POST', '/api/v1/users', { raw: JSON.stringify({ email: 'a@example.com', username: 'big', password: 'x'.repeat(300 * 1024) }), headers: { 'content-type': 'application/json' } });
  });

  // The control: Prism does catch an answer the document does not describe.
  it('is caught by Prism when the document lies about an answer', async () => {
    const document = (await app.server.inject({ url: '/docs/json' })).json();
    const product = document.components.schemas.Product;
    document.components.schemas.Product = { ...product, required: [...product.required, 'colour'], properties: { ...product.properties, colour: { type: 'string' } } };
    const liar = await startPrismProxy(document, `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`, { validateRequests: true });
    try {
      const answer = await send(liar, 'GET', `/api/v1/products/${productId}`);
      expect(answer.headers.get('sl-violations') ?? JSON.stringify(answer.body)).toMatch(/colour/);
    } finally {
      await liar.close();
    }
  }, 60_000);
});
