// /metrics is guarded: by a bearer token (METRICS_TOKEN), or by a listener of its own (METRICS_PORT).
// It serves the app's metrics (requests by route and module) with the process-wide ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { freePort } from '../../../test/support/free-port.js';
import { recordPublished } from '../observability/shop-metrics.js';
import { sampleValue } from '../observability/testing/prometheus-text.js';

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

  it('serves the process-wide metrics of the event bus and remote contracts with the app’s, as Prometheus text', async () => {
    recordPublished('metrics-test.served');
    const response = await app.server.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sampleValue(response.body, 'shop_events_published_total', { type: 'metrics-test.served' })).toBe(1);
    expect(response.body).toContain('# TYPE shop_remote_circuit_state gauge');
    expect(response.body).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('labels each request with the module whose route served it: `platform` for its own, `none` when no route matched', async () => {
    await app.server.inject({ url: '/api/v1/users/me' });
    await app.server.inject({ url: '/health/live' });
    await app.server.inject({ url: '/no/such/route' });
    const { body } = await app.server.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const count = (labels: Record<string, string>) => sampleValue(body, 'http_request_duration_seconds_count', { method: 'GET', ...labels });
    expect(count({ route: '/api/v1/users/me', status_code: '401', module: 'users' })).toBe(1);
    expect(count({ route: '/health/live', module: 'platform' })).toBe(1);
    // The route label is the template: a URL no route matched is one series, whatever it was.
    expect(count({ route: 'unmatched', status_code: '404', module: 'none' })).toBe(1);
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
