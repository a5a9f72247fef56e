// POST /api/v1/auth/login: tokens for correct credentials, one answer for every wrong guess,
// and no sign-in for suspended or inactive accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { expectProblem, registerAndLogin, startAppWithAdmin, type Injector } from '../../../../test/support/users.js';

describe('login', () => {
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => ({ app, client, admin } = await startAppWithAdmin()));
  afterAll(() => app.close());

  const login = (payload: unknown) => client.inject({ method: 'POST', url: '/api/v1/auth/login', payload: payload as object });
  const setStatus = (id: string, status: string) =>
    client.inject({ method: 'PATCH', url: `/api/v1/users/${id}/status`, headers: admin, payload: { status } });

  it('answers 200 with a bearer token that opens the account', async () => {
    const user = await registerAndLogin(client);
    const response = await login({ email: user.email, password: user.password });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    const me = await client.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, email: user.email, role: 'customer' });
  });

  it('issues a JWT whose subject is the user and whose role is customer', async () => {
    const user = await registerAndLogin(client);
    const payload = JSON.parse(Buffer.from(user.token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload).toMatchObject({ sub: user.id, role: 'customer' });
    expect(payload.exp - payload.iat).toBe(900);
  });

  it('accepts the email in any letter case and with surrounding blanks', async () => {
    const user = await registerAndLogin(client);
    const response = await login({ email: `  ${user.email.toUpperCase()} `, password: user.password });
    expect(response.statusCode).toBe(200);
  });

  it('answers 401 with the same body for an unknown email and for a wrong password', async () => {
    const user = await registerAndLogin(client);
    const wrongPassword = await login({ email: user.email, password: 'not-the-password' });
    const unknownEmail = await login({ email: `nobody_${Date.now()}@example.com`, password: 'not-the-password' });
    expectProblem(wrongPassword, 401);
    expectProblem(unknownEmail, 401);
    expect(wrongPassword.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'The email or password is incorrect',
      instance: '/api/v1/auth/login',
    });
    expect(unknownEmail.body).toBe(wrongPassword.body);
  });

  it('does not trim the password: the same password with blanks around it is wrong', async () => {
    const user = await registerAndLogin(client, { password: 'exact-password' });
    expectProblem(await login({ email: user.email, password: ' exact-password ' }), 401);
  });

  it('answers 403 to a suspended user with the right password', async () => {
    const user = await registerAndLogin(client);
    expect((await setStatus(user.id, 'suspended')).statusCode).toBe(200);
    const body = expectProblem(await login({ email: user.email, password: user.password }), 403);
    expect(body.detail).toBe('This account is suspended');
  });

  it('answers 403 to an inactive user with the right password', async () => {
    const user = await registerAndLogin(client);
    expect((await setStatus(user.id, 'inactive')).statusCode).toBe(200);
    const body = expectProblem(await login({ email: user.email, password: user.password }), 403);
    expect(body.detail).toBe('This account is inactive');
  });

  it('answers 401, not 403, to a suspended user with a wrong password (the status does not leak)', async () => {
    const user = await registerAndLogin(client);
    expect((await setStatus(user.id, 'suspended')).statusCode).toBe(200);
    expectProblem(await login({ email: user.email, password: 'not-the-password' }), 401);
  });

  it('lets a reactivated user sign in again', async () => {
    const user = await registerAndLogin(client);
    expect((await setStatus(user.id, 'suspended')).statusCode).toBe(200);
    expect((await setStatus(user.id, 'active')).statusCode).toBe(200);
    expect((await login({ email: user.email, password: user.password })).statusCode).toBe(200);
  });

  it('rejects a malformed email with 400 naming email, not with 401', async () => {
    expectProblem(await login({ email: 'not-an-email', password: 'whatever-password' }), 400, ['email']);
  });

  it('names every missing field', async () => {
    expectProblem(await login({}), 400, ['email', 'password']);
  });

  it('rejects an empty password with 400 naming password', async () => {
    expectProblem(await login({ email: 'someone@example.com', password: '' }), 400, ['password']);
  });

  it('rejects an unknown property with 400 naming it', async () => {
    expectProblem(await login({ email: 'someone@example.com', password: 'whatever-password', remember: true }), 400, ['remember']);
  });
});
