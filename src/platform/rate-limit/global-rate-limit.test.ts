// Requests per client address on every route (RATE_LIMIT_MAX, off by default outside production),
// counted in the database so that replicas add up to one limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAFE_PRODUCTION_ENV } from '../../../test/support/production-env.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { expectProblem } from '../../../test/support/users.js';
import { waitFor } from '../../../test/support/wait-for.js';

const LIMITED = { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' };

const get = (app: TestApp, url: string, remoteAddress: string) => app.server.inject({ method: 'GET', url, remoteAddress });

async function spend(app: TestApp, remoteAddress: string, times: number, url = '/api/v1/products') {
  for (let request = 1; request <= times; request += 1) expect((await get(app, url, remoteAddress)).statusCode, `request ${request}`).not.toBe(429);
}

describe('global rate limit', () => {
  let app: TestApp;
  let replica: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: LIMITED });
    replica = await startTestApp({ databaseUrl: app.databaseUrl, env: LIMITED });
  });
  afterAll(() => Promise.all([app?.close(), replica?.close()]));

  it('answers the 6th request from one address with 429 problem+json and retry-after', async () => {
    await spend(app, '192.0.2.1', 5);
    const blocked = await get(app, '/api/v1/products', '192.0.2.1');
    const body = expectProblem(blocked, 429);
    expect(body.detail).toMatch(/^Too many requests from this address; retry in \d+ seconds$/);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(blocked.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('keeps answering other addresses', async () => {
    expect((await get(app, '/api/v1/products', '192.0.2.2')).statusCode).toBe(200);
  });

  it('counts every route, unknown URLs and sign-ins included', async () => {
    await spend(app, '192.0.2.3', 2, '/api/v1/nothing-here');
    await spend(app, '192.0.2.3', 3, '/api/v1/users/me');
    expectProblem(await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '192.0.2.3', payload: { email: 'a@example.com', password: 'x' } }), 429);
  });

  it('never limits /health/live, /metrics or the contract routes other processes call', async () => {
    await spend(app, '192.0.2.4', 5);
    expectProblem(await get(app, '/api/v1/products', '192.0.2.4'), 429);
    for (let request = 1; request <= 10; request += 1) {
      expect((await get(app, '/health/live', '192.0.2.4')).statusCode, `probe ${request}`).toBe(200);
      expect((await get(app, '/metrics', '192.0.2.4')).statusCode, `scrape ${request}`).not.toBe(429);
      const contractCall = await app.server.inject({ method: 'POST', url: '/internal/v1/users/get-public-profiles', remoteAddress: '192.0.2.4', payload: { args: [[]] } });
      expect(contractCall.statusCode, `contract call ${request}`).not.toBe(429);
    }
  });

  it('adds up requests to two instances sharing the database to one limit', async () => {
    for (let request = 1; request <= 5; request += 1) {
      expect((await get(request % 2 === 0 ? app : replica, '/api/v1/products', '192.0.2.5')).statusCode, `request ${request}`).toBe(200);
    }
    expectProblem(await get(app, '/api/v1/products', '192.0.2.5'), 429);
    expectProblem(await get(replica, '/api/v1/products', '192.0.2.5'), 429);
  });
});

describe('global rate limit window', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp({ env: { RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '1000' } })));
  afterAll(() => app.close());

  it('lets the address through again once its window has ended', async () => {
    await spend(app, '192.0.2.6', 2);
    expectProblem(await get(app, '/api/v1/products', '192.0.2.6'), 429);
    await waitFor(async () => (await get(app, '/api/v1/products', '192.0.2.6')).statusCode === 200, { timeoutMs: 5000, what: 'the window to end' });
  });
});

describe('global rate limit turned off', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp({ env: { ...SAFE_PRODUCTION_ENV, RATE_LIMIT_MAX: '0' } })));
  afterAll(() => app.close());

  it('answers any number of requests from one address when RATE_LIMIT_MAX is 0, even in production', async () => {
    for (let request = 1; request <= 50; request += 1) expect((await get(app, '/api/v1/products', '192.0.2.7')).statusCode, `request ${request}`).toBe(200);
  });
});

describe('global rate limit by default in tests', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(() => app.close());

  it('is off outside production', async () => {
    await spend(app, '192.0.2.8', 50);
  });
});
