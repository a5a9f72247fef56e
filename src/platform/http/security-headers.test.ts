// Response headers of the real app: strict for the API, relaxed just enough for the Swagger UI,
// and token and payment answers never cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { registerAndLogin, type TestUser } from '../../../test/support/users.js';

function expectHardened(headers: Record<string, unknown>) {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
}

describe('security headers', () => {
  let app: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    app = await startTestApp();
    user = await registerAndLogin(app.server);
  });
  afterAll(() => app.close());

  it('hardens API answers with a policy that allows nothing to load or frame them', async () => {
    for (const url of ['/api/v1/products', '/api/v1/users/me', '/no/such/route']) {
      const response = await app.server.inject({ url });
      expectHardened(response.headers);
      expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    }
  });

  it('still serves the Swagger UI at /docs, with its HTML and scripts allowed by its own policy', async () => {
    const page = await app.server.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui-bundle.js');
    expectHardened(page.headers);
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).not.toContain('upgrade-insecure-requests');

    const script = await app.server.inject({ url: '/docs/static/swagger-ui-bundle.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.server.inject({ url: '/docs/json' })).statusCode).toBe(200);
  });

  it('forbids caching the access token a sign-in answers with', async () => {
    const response = await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('forbids caching every payments answer', async () => {
    const orderId = '00000000-0000-4000-8000-000000000000';
    const list = await app.server.inject({ url: `/api/v1/payments?orderId=${orderId}`, headers: user.auth });
    expect(list.headers['cache-control']).toBe('no-store');
    const one = await app.server.inject({ url: `/api/v1/payments/${orderId}`, headers: user.auth });
    expect(one.headers['cache-control']).toBe('no-store');
    const pay = await app.server.inject({ method: 'POST', url: '/api/v1/payments', headers: user.auth, payload: {} });
    expect(pay.headers['cache-control']).toBe('no-store');
  });

  it('leaves public catalog answers cacheable', async () => {
    const response = await app.server.inject({ url: '/api/v1/products' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBeUndefined();
  });
});
