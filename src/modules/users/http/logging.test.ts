// What the users routes leave in the logs: the requests, never a password or a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { newUserInput, startGuardedApp, type Injector } from '../../../../test/support/users.js';

describe('logs of users routes', () => {
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => ({ app, client } = await startGuardedApp({ captureLogs: true })));
  afterAll(() => app.close());

  /** The log lines written for one request (they carry its id as reqId). */
  const linesOf = (requestId: string) => app.logs.filter((line) => JSON.parse(line).reqId === requestId);

  it('logs a sign-in without its password or the access token it issued', async () => {
    const input = newUserInput({ password: 'logged-password-never-1' });
    expect((await client.inject({ method: 'POST', url: '/api/v1/users', headers: { 'x-request-id': 'log-register-1' }, payload: input })).statusCode).toBe(201);
    const response = await client.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-request-id': 'log-login-1' },
      payload: { email: input.email, password: input.password },
    });
    expect(response.statusCode).toBe(200);
    const token = response.json().accessToken as string;
    expect(linesOf('log-login-1').length).toBeGreaterThan(0); // the request was logged at all
    const logs = app.logs.join('\n');
    expect(logs).not.toContain(input.password);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.split('.')[2]); // not even the signature
    expect(logs).not.toContain('$argon2');
  });

  it('logs a failed sign-in without the password that was tried', async () => {
    const tried = 'tried-password-never-2';
    const response = await client.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-request-id': 'log-login-2' }, payload: { email: 'nobody@example.com', password: tried } });
    expect(response.statusCode).toBe(401);
    expect(linesOf('log-login-2').length).toBeGreaterThan(0);
    expect(app.logs.join('\n')).not.toContain(tried);
  });

  it('logs a rejected registration without the password in it', async () => {
    const password = 'rejected-password-never-3';
    const response = await client.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { 'x-request-id': 'log-register-3' },
      payload: { email: 'not-an-email', username: 'x', password },
    });
    expect(response.statusCode).toBe(400);
    expect(linesOf('log-register-3').length).toBeGreaterThan(0);
    expect(app.logs.join('\n')).not.toContain(password);
  });

  it('does not log the bearer token of an authenticated request', async () => {
    const input = newUserInput();
    expect((await client.inject({ method: 'POST', url: '/api/v1/users', payload: input })).statusCode).toBe(201);
    const login = await client.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: input.email, password: input.password } });
    const token = login.json().accessToken as string;
    const me = await client.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}`, 'x-request-id': 'log-me-4' } });
    expect(me.statusCode).toBe(200);
    expect(linesOf('log-me-4').length).toBeGreaterThan(0);
    expect(app.logs.join('\n')).not.toContain(token.split('.')[2]);
  });

  it('does not log a bad bearer token either', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged-signature-never-5';
    const me = await client.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${forged}`, 'x-request-id': 'log-me-5' } });
    expect(me.statusCode).toBe(401);
    expect(linesOf('log-me-5').length).toBeGreaterThan(0);
    expect(app.logs.join('\n')).not.toContain('forged-signature-never-5');
  });
});
