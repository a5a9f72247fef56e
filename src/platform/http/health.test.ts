// Readiness over checks made of parts (the database: every pool the app serves from), and the 503
// a request gets when the database cannot be reached.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_RETRY_AFTER_SECONDS, installErrorHandling } from './error-handler.js';
import { CHECK_TIMEOUT_MS, registerHealth, type HealthChecks } from './health.js';

const ok = async () => {};
const down = async () => {
  throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
};

describe('readiness', () => {
  let server: FastifyInstance;
  afterEach(() => server.close());

  async function serve(checks: HealthChecks, draining = () => false): Promise<FastifyInstance> {
    server = Fastify();
    installErrorHandling(server);
    await registerHealth(server, checks, draining);
    return server;
  }

  it('is 503 once the process drains, though every check passes, while liveness stays 200', async () => {
    let draining = false;
    await serve({ database: ok }, () => draining);
    expect((await server.inject({ url: '/health/ready' })).statusCode).toBe(200);
    draining = true;
    const response = await server.inject({ url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 503, detail: 'Not ready: shutting down' });
    expect((await server.inject({ url: '/health/live' })).statusCode).toBe(200);
  });

  it('is 200 when every part of every check passes', async () => {
    await serve({ database: { platform: ok, users: ok, orders: ok }, jobQueue: ok });
    const response = await server.inject({ url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { database: 'ok', jobQueue: 'ok' } });
  });

  it('is 503 naming the part that fails, even when the others pass', async () => {
    await serve({ database: { platform: ok, users: ok, orders: down }, jobQueue: ok });
    const response = await server.inject({ url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      status: 503,
      detail: 'Not ready: database unreachable',
      checks: { database: 'failing', jobQueue: 'ok' },
      parts: { database: { platform: 'ok', users: 'ok', orders: 'failing' } },
    });
  });

  it('counts a part that does not answer in time as failing, and answers within the check timeout', async () => {
    await serve({ database: { platform: ok, orders: () => new Promise(() => {}) }, jobQueue: ok });
    const started = performance.now();
    const response = await server.inject({ url: '/health/ready' });
    expect(performance.now() - started).toBeLessThan(CHECK_TIMEOUT_MS + 500);
    expect(response.json()).toMatchObject({ status: 503, parts: { database: { orders: 'failing' } } });
  });
});

describe('a request that meets an unreachable database', () => {
  let server: FastifyInstance;
  afterEach(() => server.close());

  it.each([
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['ended by a shutdown, under drizzle', Object.assign(new Error('Failed query: select 1'), { cause: Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }) })],
    ['closed', Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' })],
  ])('gets a 503 problem+json with Retry-After, never a 500 (%s)', async (_what, error) => {
    server = Fastify({ logger: false });
    installErrorHandling(server);
    server.get('/thing', async () => {
      throw error;
    });
    const response = await server.inject({ url: '/thing' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(response.json()).toEqual({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The database is unavailable; try again shortly', instance: '/thing' });
    expect(response.body).not.toMatch(/127\.0\.0\.1|administrator|select/);
  });

  it('still gets a 500 for any other failure', async () => {
    server = Fastify({ logger: false });
    installErrorHandling(server);
    server.get('/thing', async () => {
      throw Object.assign(new Error('duplicate key'), { code: '23505' });
    });
    expect((await server.inject({ url: '/thing' })).statusCode).toBe(500);
  });
});
