// /metrics is guarded: by a bearer token (METRICS_TOKEN), or by a listener of its own (METRICS_PORT).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { freePort } from '../../../test/support/free-port.js';

const METRICS_TOKEN = 'mZ7qL2vX9kR4tB8nW1cF6hJ3sD0gY5pA7eU2iO9rT4wQ8zK';

describe('metrics behind a token', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp({ env: { METRICS_TOKEN, MODULES: 'users' } })));
  afterAll(() => app.close());

  it('refuses /metrics without a token or with a wrong one, with a 401 problem', async () => {
    for (const headers of [{}, { authorization: `Bearer ${METRICS_TOKEN.slice(0, -1)}x` }, { authorization: `Bearer ${METRICS_TOKEN}${METRICS_TOKEN}` }, { authorization: METRICS_TOKEN }]) {
      const response = await app.server.inject({ url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).not.toContain('process_cpu');
    }
  });

  it('serves /metrics to the holder of the token', async () => {
    const response = await app.server.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('process_cpu');
  });
});

describe('metrics on a port of their own', () => {
  let app: TestApp;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    app = await startTestApp({ env: { METRICS_PORT: String(port), HOST: '127.0.0.1', MODULES: 'users' } });
  });
  afterAll(() => app.close());

  it('serves /metrics on METRICS_PORT and answers 404 for it on the API port', async () => {
    await app.server.inject({ url: '/health/live' });
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/live"/);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/users/me`)).status).toBe(404);

    const onApi = await app.server.inject({ url: '/metrics' });
    expect(onApi.statusCode).toBe(404);
    expect(onApi.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('closes the metrics listener with the app', async () => {
    const otherPort = await freePort();
    const other = await startTestApp({ env: { METRICS_PORT: String(otherPort), MODULES: 'users' } });
    expect((await fetch(`http://127.0.0.1:${otherPort}/metrics`)).status).toBe(200);
    await other.close();
    await expect(fetch(`http://127.0.0.1:${otherPort}/metrics`)).rejects.toThrow();
  });
});
