// Every protected users route answers 401 problem+json without a valid bearer token.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS, type TestApp } from '../../../../test/support/test-app.js';
import { expectProblem, registerAndLogin, startGuardedApp, type Injector, type TestUser } from '../../../../test/support/users.js';

function jwt(payload: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part(header)}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** The same token with the first character of its signature changed (every bit of it counts). */
function alterSignature(token: string): string {
  const signatureStart = token.lastIndexOf('.') + 1;
  const replacement = token[signatureStart] === 'A' ? 'B' : 'A';
  return `${token.slice(0, signatureStart)}${replacement}${token.slice(signatureStart + 1)}`;
}

describe('authentication of users routes', () => {
  let app: TestApp;
  let client: Injector;
  let user: TestUser;
  beforeAll(async () => {
    ({ app, client } = await startGuardedApp());
    user = await registerAndLogin(client);
  });
  afterAll(() => app.close());

  const now = () => Math.floor(Date.now() / 1000);
  const badAuthorizations: Array<[string, () => string | undefined]> = [
    ['no authorization header', () => undefined],
    ['an empty bearer token', () => 'Bearer '],
    ['a token that is not a JWT', () => 'Bearer not-a-token'],
    ['the token under another scheme', () => `Basic ${user.token}`],
    ['a token signed with another secret', () => `Bearer ${jwt({ sub: user.id, role: 'customer', iat: now(), exp: now() + 600 }, 'another-secret-that-is-long-enough-000000')}`],
    ['an expired token', () => `Bearer ${jwt({ sub: user.id, role: 'customer', iat: now() - 1200, exp: now() - 600 }, TEST_SECRETS.jwtSecret)}`],
    ['an unsigned token (alg none)', () => `Bearer ${jwt({ sub: user.id, role: 'admin', iat: now(), exp: now() + 600 }, '', { alg: 'none', typ: 'JWT' }).replace(/[^.]+$/, '')}`],
    ['a token with a role that does not exist', () => `Bearer ${jwt({ sub: user.id, role: 'superuser', iat: now(), exp: now() + 600 }, TEST_SECRETS.jwtSecret)}`],
    // Correctly signed, but it would never expire, or could not be dated against a revocation.
    ['a token without exp', () => `Bearer ${jwt({ sub: user.id, role: 'customer', iat: now() }, TEST_SECRETS.jwtSecret)}`],
    ['a token without iat', () => `Bearer ${jwt({ sub: user.id, role: 'customer', exp: now() + 600 }, TEST_SECRETS.jwtSecret)}`],
    ['a token whose signature was altered', () => `Bearer ${alterSignature(user.token)}`],
  ];

  const routes: Array<[string, string, () => object | undefined]> = [
    ['GET', '/api/v1/users/me', () => undefined],
    ['GET', '/api/v1/users/:id', () => undefined],
    ['PATCH', '/api/v1/users/:id', () => ({ username: 'new_name' })],
    ['PATCH', '/api/v1/users/:id/status', () => ({ status: 'suspended' })],
    ['POST', '/api/v1/users/:id/addresses', () => ({ street: '1 Main St', city: 'Springfield', zipCode: '12345', country: 'US' })],
    ['GET', '/api/v1/users/:id/addresses', () => undefined],
  ];

  for (const [method, path, body] of routes) {
    it.each(badAuthorizations)(`${method} ${path} answers 401 with %s`, async (_case, authorization) => {
      const header = authorization();
      const payload = body();
      const response = await client.inject({
        method: method as 'GET',
        url: path.replace(':id', user.id),
        ...(header === undefined ? {} : { headers: { authorization: header } }),
        ...(payload ? { payload } : {}),
      });
      const problem = expectProblem(response, 401);
      expect(problem.detail).toBe('A valid bearer token is required');
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });
  }

  it('changes nothing when a request is refused for its token', async () => {
    const me = await client.inject({ url: '/api/v1/users/me', headers: user.auth });
    expect(me.json().username).toBe(user.username);
  });

  it('accepts a token signed with the app secret for a real user (the forged-token cases above differ only in what they break)', async () => {
    const token = jwt({ sub: user.id, role: 'customer', iat: now(), exp: now() + 600 }, TEST_SECRETS.jwtSecret);
    const response = await client.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
  });

  it('answers 404, not 500, to a valid token of a user that does not exist', async () => {
    const token = jwt({ sub: randomUUID(), role: 'customer', iat: now(), exp: now() + 600 }, TEST_SECRETS.jwtSecret);
    expectProblem(await client.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } }), 404);
  });
});
