// Failed sign-ins are limited per client address and account (default: 10 a minute).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { expectProblem, registerAndLogin, startGuardedApp, type Injector } from '../../../../test/support/users.js';

const LIMIT = 10;

describe('login rate limit', () => {
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => ({ app, client } = await startGuardedApp()));
  afterAll(() => app.close());

  const login = (email: string, password: string, remoteAddress = '127.0.0.1') =>
    client.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { email, password } });

  async function failTimes(email: string, times: number, remoteAddress = '127.0.0.1') {
    for (let attempt = 1; attempt <= times; attempt += 1) {
      // Letter case varies: it is still the same account.
      const spelled = attempt % 2 === 0 ? email.toUpperCase() : email;
      const response = await login(spelled, 'wrong-password', remoteAddress);
      expect(response.statusCode, `attempt ${attempt}`).toBe(401);
    }
  }

  it('answers 429 with retry-after once one client has failed 10 times for one email', async () => {
    const victim = await registerAndLogin(client);
    await failTimes(victim.email, LIMIT, '10.0.0.1');
    const blocked = await login(victim.email, 'wrong-password', '10.0.0.1');
    expectProblem(blocked, 429);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('refuses even the right password for the blocked account from that client', async () => {
    const victim = await registerAndLogin(client);
    await failTimes(victim.email, LIMIT, '10.0.0.2');
    expectProblem(await login(victim.email, victim.password, '10.0.0.2'), 429);
  });

  it('keeps signing in another account from the same address', async () => {
    const victim = await registerAndLogin(client);
    const neighbour = await registerAndLogin(client);
    await failTimes(victim.email, LIMIT, '10.0.0.3');
    expectProblem(await login(victim.email, 'wrong-password', '10.0.0.3'), 429);
    const response = await login(neighbour.email, neighbour.password, '10.0.0.3');
    expect(response.statusCode).toBe(200);
    expect(response.json().tokenType).toBe('Bearer');
  });

  it('keeps signing in the same account from another client', async () => {
    const victim = await registerAndLogin(client);
    await failTimes(victim.email, LIMIT, '10.0.0.4');
    expect((await login(victim.email, victim.password, '10.0.0.5')).statusCode).toBe(200);
  });

  it('limits unknown emails too, so probing for accounts is slowed as well', async () => {
    const email = `nobody_${Date.now()}@example.com`;
    await failTimes(email, LIMIT, '10.0.0.6');
    expectProblem(await login(email, 'wrong-password', '10.0.0.6'), 429);
  });

  it('limits a burst of parallel guesses as well as a sequence', async () => {
    const victim = await registerAndLogin(client);
    const responses = await Promise.all(Array.from({ length: 25 }, () => login(victim.email, 'wrong-password', '10.0.0.8')));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(25 - LIMIT);
  });

  it('does not count successful sign-ins toward the limit', async () => {
    const user = await registerAndLogin(client);
    for (let attempt = 1; attempt <= LIMIT + 5; attempt += 1) {
      expect((await login(user.email, user.password, '10.0.0.7')).statusCode, `sign-in ${attempt}`).toBe(200);
    }
    await failTimes(user.email, LIMIT - 1, '10.0.0.7');
    expect((await login(user.email, user.password, '10.0.0.7')).statusCode).toBe(200);
  });
});
