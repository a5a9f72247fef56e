// The app's AsyncAPI document, through HTTP: valid for the parser and saying what every real module
// definition says, whatever this process hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODULES } from '../src/module-registry.js';
import type { AsyncApiDocument } from '../src/platform/http/asyncapi.js';
import { parseAsyncApi } from './support/parse-asyncapi.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('GET /docs/asyncapi.json', () => {
  let app: TestApp;
  // Hosting users only: the document still describes the events of every module.
  beforeAll(async () => {
    app = await startTestApp({ hostedModules: ['users'] });
  });
  afterAll(() => app.close());

  it('answers the AsyncAPI 3.0.0 document of every module’s events, valid for the parser', async () => {
    const response = await app.server.inject({ url: '/docs/asyncapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = response.json();
    expect(document).toMatchObject({ asyncapi: '3.0.0', info: { title: 'Shop API' } });
    expect((await parseAsyncApi(document)).errors).toEqual([]);
    expect(document.channels['orders_order-placed']).toMatchObject({ address: 'orders.order-placed' });
    expect(document.operations['products.reserve-stock.receive.orders.order-placed']).toMatchObject({
      action: 'receive',
      'x-module': 'products',
      'x-queue': 'products.reserve-stock',
      'x-start': 'now',
      description: expect.stringContaining('event log'),
    });
  });

  it('has a send for every event each module publishes and a receive on the queue of every subscription', async () => {
    const document: AsyncApiDocument = (await app.server.inject({ url: '/docs/asyncapi.json' })).json();
    const operations = Object.values(document.operations);
    for (const module of ALL_MODULES) {
      for (const event of module.publishes) {
        expect(document.operations[`${module.name}.publish.${event.type}`]).toMatchObject({
          action: 'send',
          'x-module': module.name,
          messages: [{ $ref: `#/channels/${event.type.replaceAll('.', '_')}/messages/${event.type}.v${event.version}` }],
        });
      }
      for (const subscription of module.subscriptions ?? []) {
        const queue = `${module.name}.${subscription.name}`;
        expect(operations.filter((operation) => operation.action === 'receive' && operation['x-queue'] === queue).length, queue).toBeGreaterThan(0);
      }
    }
  });

  it('is linked from the description the Swagger UI at /docs shows', async () => {
    const openapi = (await app.server.inject({ url: '/docs/json' })).json();
    expect(openapi.info.description).toContain('(/docs/asyncapi.json)');
    expect(Object.keys(openapi.paths)).not.toContain('/docs/asyncapi.json');
  });
});
