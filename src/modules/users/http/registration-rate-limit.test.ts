// Registrations per client address (default: 20 an hour). Every attempt counts, so probing which
// emails are registered is limited as well as creating accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { expectProblem, newUserInput, startGuardedApp, type Injector } from '../../../../test/support/users.js';

const LIMIT = 20;

const register = (client: Injector, remoteAddress: string, payload: object = newUserInput()) =>
  client.inject({ method: 'POST', url: '/api/v1/users', remoteAddress, payload });

describe('registration rate limit', () => {
  let app: TestApp;
  let client: Injector;
  // The test harness turns the limit off; this is the production default.
  beforeAll(async () => ({ app, client } = await startGuardedApp({ env: { REGISTRATION_RATE_LIMIT_MAX: String(LIMIT) } })));
  afterAll(() => app.close());

  it('answers 429 problem+json with retry-after to the 21st registration from one address', async () => {
    for (let attempt = 1; attempt <= LIMIT; attempt += 1) {
      expect((await register(client, '192.0.2.1')).statusCode, `registration ${attempt}`).toBe(201);
    }
    const blocked = await register(client, '192.0.2.1');
    const body = expectProblem(blocked, 429);
    expect(body.detail).toMatch(/^Too many registrations from this address; retry in \d+ seconds$/);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
  });

  it('keeps registering from another address', async () => {
    expect((await register(client, '192.0.2.2')).statusCode).toBe(201);
  });

  it('counts refused and invalid attempts too', async () => {
    const taken = newUserInput();
    expect((await register(client, '192.0.2.3', taken)).statusCode).toBe(201);
    for (let attempt = 2; attempt <= LIMIT; attempt += 1) {
      const response = attempt % 2 === 0 ? await register(client, '192.0.2.3', { ...newUserInput(), email: taken.email }) : await register(client, '192.0.2.3', { email: 'not-an-email' });
      expect(response.statusCode, `attempt ${attempt}`).toBe(attempt % 2 === 0 ? 409 : 400);
    }
    expectProblem(await register(client, '192.0.2.3'), 429);
  });

  it('limits a burst of parallel registrations as well as a sequence', async () => {
    const responses = await Promise.all(Array.from({ length: LIMIT + 5 }, () => register(client, '192.0.2.4')));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
  });
});

describe('registration rate limit turned off', () => {
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => ({ app, client } = await startGuardedApp({ env: { REGISTRATION_RATE_LIMIT_MAX: '0' } })));
  afterAll(() => app.close());

  it('accepts any number of registrations from one address when REGISTRATION_RATE_LIMIT_MAX is 0', async () => {
    for (let attempt = 1; attempt <= LIMIT + 5; attempt += 1) {
      expect((await register(client, '192.0.2.10')).statusCode, `registration ${attempt}`).toBe(201);
    }
  });
});
