// The platform's HTTP surface, on the real app: docs, health, metrics, errors, graceful close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { ALL_MODULES } from '../src/module-registry.js';
import type { ModuleDefinition } from '../src/platform/modules/module-definition.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// A fixture module with one slow route, to see in-flight requests survive a close.
let releaseSlowRequest: () => void = () => {};
const slowModule: ModuleDefinition = {
  name: 'slow',
  schema: 'slow',
  routePrefixes: ['/slow'],
  publishes: [],
  needs: [],
  create: () => ({
    routes: async (server) => {
      server.get('/slow', { schema: { response: { 200: Type.Object({ done: Type.Boolean() }) } } }, async () => {
        await new Promise<void>((resolve) => (releaseSlowRequest = resolve));
        return { done: true };
      });
    },
  }),
};

describe('platform HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ definitions: [...ALL_MODULES, slowModule], hostedModules: ['users', 'slow'] });
  });
  afterAll(() => app.close());

  it('serves an OpenAPI 3 document describing the routes, and the interactive docs', async () => {
    const document = await app.server.inject({ url: '/docs/json' });
    expect(document.statusCode).toBe(200);
    expect(document.json().openapi).toMatch(/^3\./);
    expect(Object.keys(document.json().paths)).toEqual(expect.arrayContaining(['/api/v1/users', '/api/v1/auth/login', '/health/ready']));
    const ui = await app.server.inject({ url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('reports liveness and readiness', async () => {
    expect((await app.server.inject({ url: '/health/live' })).json()).toEqual({ status: 'ok' });
    expect((await app.server.inject({ url: '/health/ready' })).json()).toEqual({ status: 'ok', checks: { database: 'ok', jobQueue: 'ok' } });
  });

  it('serves Prometheus metrics including request durations', async () => {
    await app.server.inject({ url: '/health/live' });
    const metrics = await app.server.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200",module="platform"\}/);
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const response = await app.server.inject({ url: '/nowhere?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No route GET /nowhere', instance: '/nowhere' });
  });

  it.each(['/api/v1/users/%zz', '/api/v1/users/%c0%ae%c0%ae'])('answers a URL with broken percent-escapes (%s) with a problem+json 400', async (url) => {
    const response = await app.server.inject({ url });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, detail: 'The request URL is malformed' });
  });

  it('answers an unsupported content type with a problem+json 415', async () => {
    const response = await app.server.inject({ method: 'POST', url: '/api/v1/users', headers: { 'content-type': 'application/xml' }, payload: '<user/>' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
  });

  it('lets an in-flight request finish when the app closes, and then stops answering', async () => {
    const inFlight = app.server.inject({ url: '/slow' });
    await new Promise((resolve) => setImmediate(resolve));
    const closing = app.close();
    releaseSlowRequest();
    expect((await inFlight).json()).toEqual({ done: true });
    await closing;
  });
});

describe('readiness', () => {
  it('answers 503 naming the dependency that is down', async () => {
    const app = await startTestApp();
    await app.database.close(); // the app's pool is gone: the database check must fail
    const response = await app.server.inject({ url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 503, detail: 'Not ready: database unreachable', checks: { database: 'failing', jobQueue: 'ok' } });
    await app.bus.stop(1000);
  });
});
