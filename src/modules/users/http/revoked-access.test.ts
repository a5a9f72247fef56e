// A suspended or deactivated user loses access within seconds with every token they hold, on every
// process of the deployment, not when the token expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { expectProblem, login, registerAndLogin, startAppWithAdmin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';

const FAST_REFRESH = { ACCESS_REVOCATION_REFRESH_MS: '100' };

describe('revoked access', () => {
  let app: TestApp;
  let replica: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    ({ app, client, admin } = await startAppWithAdmin({ env: FAST_REFRESH }));
    // A second process on the same database, as a replica or an extracted service would be.
    replica = await startTestApp({ databaseUrl: app.databaseUrl, env: FAST_REFRESH });
  });
  afterAll(async () => {
    await replica?.close();
    await app?.close();
  });

  const setStatus = async (user: TestUser, status: string) => {
    const response = await client.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}/status`, headers: admin, payload: { status } });
    expect(response.statusCode).toBe(200);
  };
  const me = (server: Injector, auth: { authorization: string }) => server.inject({ url: '/api/v1/users/me', headers: auth });
  const refusedEverywhere = (user: TestUser) =>
    waitFor(async () => (await me(app.server, user.auth)).statusCode === 401 && (await me(replica.server, user.auth)).statusCode === 401, {
      timeoutMs: 5000,
      what: `the token of ${user.email} to be refused by both processes`,
    });

  it.each(['suspended', 'inactive'])('refuses every route to a %s user with a token issued before, on every process', async (status) => {
    const user = await registerAndLogin(client);
    const other = await registerAndLogin(client);
    expect((await me(replica.server, user.auth)).statusCode).toBe(200);
    const startedAt = Date.now();
    await setStatus(user, status);
    await refusedEverywhere(user);
    const tookMs = Date.now() - startedAt;
    console.log(`[revoked access] ${status}: token refused by both processes ${tookMs} ms after the change`);

    const body = expectProblem(await me(app.server, user.auth), 401);
    expect(body.detail).toBe(`This account is ${status}`);
    const address = { street: '1 Main St', city: 'Springfield', zipCode: '12345', country: 'US' };
    expectProblem(await client.inject({ method: 'POST', url: `/api/v1/users/${user.id}/addresses`, headers: user.auth, payload: address }), 401);
    expectProblem(
      await client.inject({ method: 'POST', url: '/api/v1/orders', headers: user.auth, payload: { items: [], shippingAddress: address } }),
      401,
    );
    expectProblem(await client.inject({ url: '/api/v1/payments?orderId=00000000-0000-4000-8000-000000000000', headers: user.auth }), 401);
    // Others are untouched.
    expect((await me(replica.server, other.auth)).statusCode).toBe(200);
  });

  it('keeps tokens from before a suspension revoked after reactivation, while a new sign-in works', async () => {
    const user = await registerAndLogin(client);
    await setStatus(user, 'suspended');
    await refusedEverywhere(user);
    // Tokens carry whole seconds: reactivate in a later second than the old token's, so the
    // old one is unambiguously older than the change.
    const issuedAt = JSON.parse(Buffer.from(user.token.split('.')[1]!, 'base64url').toString()).iat as number;
    await waitFor(async () => Math.floor(Date.now() / 1000) > issuedAt, { what: 'the next second' });
    await setStatus(user, 'active');
    const fresh = { authorization: `Bearer ${await login(client, user.email, user.password)}` };
    // Each process reloads its view on its own timer: wait for both, not for one and assume the other.
    await waitFor(async () => (await me(replica.server, fresh)).statusCode === 200 && (await me(app.server, fresh)).statusCode === 200, {
      timeoutMs: 5000,
      what: 'the new token to work on both processes',
    });
    const old = expectProblem(await me(replica.server, user.auth), 401);
    expect(old.detail).toBe('This token was issued before a change to the account; sign in again');
  });
});
