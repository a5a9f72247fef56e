// Text PostgreSQL cannot store (NUL, lone surrogates) is a 400 naming the field on every route,
// before any module queries with it: nothing stored, nothing logged as an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { registerAndLogin, type TestUser } from '../../../test/support/users.js';

const address = (overrides: Record<string, string> = {}) => ({ street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US', ...overrides });

describe('unstorable text in requests', () => {
  let app: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    app = await startTestApp({ captureLogs: true });
    user = await registerAndLogin(app.server);
  });
  afterAll(() => app.close());

  const errorLines = () => app.logs.filter((line) => JSON.parse(line).level >= 50);

  function expectRefused(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, path: string) {
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, errors: [{ path, message: expect.stringMatching(/NUL|Unicode/) }] });
  }

  it('refuses a NUL in a query string parameter of the product list', async () => {
    expectRefused(await app.server.inject({ url: '/api/v1/products?q=%00' }), 'querystring.q');
    expectRefused(await app.server.inject({ url: '/api/v1/products?q=lamp%00shade' }), 'querystring.q');
    expect((await app.server.inject({ url: '/api/v1/products?q=lamp' })).statusCode).toBe(200);
  });

  it('refuses a NUL in an address field and stores no address', async () => {
    const url = `/api/v1/users/${user.id}/addresses`;
    const response = await app.server.inject({ method: 'POST', url, headers: user.auth, payload: address({ street: '1 Main\u0000 Street' }) });
    expectRefused(response, 'street');
    const listed = await app.server.inject({ url, headers: user.auth });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([]);
  });

  it('refuses a lone surrogate in an address field', async () => {
    const url = `/api/v1/users/${user.id}/addresses`;
    // Written by hand: JSON.stringify would escape the lone surrogate the same way a client may.
    const payload = JSON.stringify(address()).replace('Springfield', 'Spring\\ud800field');
    const response = await app.server.inject({ method: 'POST', url, headers: { ...user.auth, 'content-type': 'application/json' }, payload });
    expectRefused(response, 'city');
  });

  it('refuses a NUL in an order shipping address and places no order', async () => {
    const payload = {
      items: [{ productId: '00000000-0000-4000-8000-000000000001', quantity: 1 }],
      shippingAddress: address({ city: 'Spring\u0000field' }),
    };
    expectRefused(await app.server.inject({ method: 'POST', url: '/api/v1/orders', headers: user.auth, payload }), 'shippingAddress.city');
    const orders = await app.server.inject({ url: '/api/v1/orders', headers: user.auth });
    expect(orders.statusCode).toBe(200);
    expect(orders.json().items).toEqual([]);
  });

  it('refuses a NUL in a path parameter', async () => {
    expectRefused(await app.server.inject({ url: '/api/v1/products/%00' }), 'params.id');
  });

  it('checks a body nested deeper than the call stack without failing', async () => {
    const depth = 100_000;
    const payload = `{"street":${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}}`;
    const response = await app.server.inject({ method: 'POST', url: `/api/v1/users/${user.id}/addresses`, headers: { ...user.auth, 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toMatch(/^street\.0\.0\./);
  });

  it('logs none of these refusals as an error', () => {
    expect(errorLines()).toEqual([]);
  });
});
