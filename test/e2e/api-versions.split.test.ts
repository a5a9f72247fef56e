// Both versions of the orders API through the split topology's gateway, which hosts neither:
// /api/v1/orders and /api/v2/orders are both forwarded to the orders process, v1's deprecation
// headers come back through the gateway, and the gateway's document describes both versions and
// payments although it hosts none of them. Plain fetch: only the wire is under test here.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.js';
import { startSplit, type Topology } from '../support/topology.js';

const ADMIN = { email: 'versions-admin@example.com', password: 'versions-admin-password' };
const address = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' };

describe('API versions, split topology', () => {
  let topology: Topology;
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${topology.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  const login = async (email: string, password: string) => {
    const response = await call('POST', '/api/v1/auth/login', undefined, { email, password });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.accessToken as string;
  };

  beforeAll(async () => {
    topology = await startSplit(await createTestDatabase(), { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(() => topology?.stop());

  it('serves one order in both versions through the gateway, v1 with its deprecation headers', async () => {
    const admin = await login(ADMIN.email, ADMIN.password);
    const sku = `VER-${randomUUID().slice(0, 8)}`;
    const product = await call('POST', '/api/v1/products', admin, { sku, name: `Versioned ${sku}`, priceCents: 3299, currency: 'USD', stock: 5 });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    const customer = { email: `versions-${randomUUID().slice(0, 8)}@example.com`, username: `versions_${randomUUID().slice(0, 8)}`, password: 'versions-password' };
    expect((await call('POST', '/api/v1/users', undefined, customer)).status).toBe(201);
    const token = await login(customer.email, customer.password);

    const placed = await call('POST', '/api/v2/orders', token, { items: [{ productId: product.body.id, quantity: 1 }], shippingAddress: address });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({ total: { amount: 3299, currency: 'USD' }, items: [{ product: { id: product.body.id, sku, name: `Versioned ${sku}` } }] });
    expect(placed.headers.get('deprecation')).toBeNull();

    const v2 = await call('GET', `/api/v2/orders/${placed.body.id}`, token);
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ id: placed.body.id, total: { amount: 3299, currency: 'USD' } });

    const v1 = await call('GET', `/api/v1/orders/${placed.body.id}`, token);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ id: placed.body.id, totalCents: 3299, currency: 'USD' });
    expect(v1.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(Date.parse(v1.headers.get('sunset')!)).toBeGreaterThan(Number(v1.headers.get('deprecation')!.slice(1)) * 1000);
    expect(v1.headers.get('link')).toBe(`</api/v2/orders/${placed.body.id}>; rel="successor-version"`);
  });

  it('documents every module’s operations on the gateway, both orders versions and payments included', async () => {
    const document = await call('GET', '/docs/json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/v1/orders', '/api/v1/orders/{id}', '/api/v2/orders', '/api/v2/orders/{id}', '/api/v1/payments']));
    expect(document.body.paths['/api/v1/orders'].get.deprecated).toBe(true);
  });
});
