// The metrics an operator alerts on, over the real app (real Postgres, real pg-boss, real HTTP
// between two processes' worth of app): each figure moves when the flow it watches does.
//
// Two apps share one database, as a split deployment does: `catalog` hosts products and listens on
// loopback; `gateway`, the app under test, hosts users and two fixture modules, and reaches products
// (its routes forwarded, its contract called over HTTP) and orders (offline: nothing listens there,
// and nobody works its queues) in other processes.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductsContract } from '../src/modules/products/api.js';
import { ALL_MODULES } from '../src/module-registry.js';
import type { ModuleDefinition } from '../src/platform/modules/module-definition.js';
import { declaredQueues } from '../src/platform/observability/module-queues.js';
import { parseSamples, sampleValue } from '../src/platform/observability/testing/prometheus-text.js';
import { freePort } from './support/free-port.js';
import { createFixtureSchema, FIXTURE_SCHEMA } from './support/test-bus.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { registerAndLogin } from './support/users.js';
import { waitFor } from './support/wait-for.js';

// A subscriber whose handler always fails: with no retries, each event it gets is a dead letter.
const fragileModule: ModuleDefinition = {
  name: 'fragile',
  schema: FIXTURE_SCHEMA,
  routePrefixes: [],
  publishes: [],
  needs: [],
  subscriptions: [
    {
      name: 'on-user-registered',
      pattern: 'users.user-registered',
      handler: async () => {
        throw new Error('handler bug');
      },
    },
  ],
  create: () => ({ routes: async () => {} }),
};

// A module that reads products through their contract: remote here, so each lookup is an HTTP call.
const shopperModule: ModuleDefinition = {
  name: 'shopper',
  schema: FIXTURE_SCHEMA,
  routePrefixes: ['/api/v1/shopper'],
  publishes: [],
  needs: ['products'],
  create: (context) => {
    const products = context.contract(ProductsContract);
    return {
      routes: async (server) => {
        server.get('/api/v1/shopper/products/:id', async (request) => ({
          products: await products.getProducts([(request.params as { id: string }).id]),
        }));
      },
    };
  },
};

const DEFINITIONS = [...ALL_MODULES, fragileModule, shopperModule];
const FRAGILE_QUEUE = 'fragile.on-user-registered';
// Kept here for orders, hosted elsewhere and offline: what users publish for it waits.
const OFFLINE_QUEUE = 'orders.user-registered';

describe('operations metrics', () => {
  let catalog: TestApp;
  let gateway: TestApp;
  const scrape = async () => {
    const response = await gateway.server.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    await createFixtureSchema(databaseUrl);
    catalog = await startTestApp({ databaseUrl, env: { MODULES: 'products' } });
    await catalog.server.listen({ port: 0, host: '127.0.0.1' });
    const catalogUrl = `http://127.0.0.1:${(catalog.server.server.address() as AddressInfo).port}`;
    gateway = await startTestApp({
      databaseUrl,
      definitions: DEFINITIONS,
      hostedModules: ['users', 'fragile', 'shopper'],
      env: {
        MODULES: 'users',
        REMOTE_MODULES: `products=${catalogUrl},orders=http://127.0.0.1:${await freePort()}`,
        EVENTS_RETRY_LIMIT: '0',
        // One failed call opens the circuit, and it stays open for the test.
        REMOTE_RETRIES: '0',
        REMOTE_BREAKER_THRESHOLD: '1',
        REMOTE_BREAKER_HALF_OPEN_MS: '600000',
      },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await catalog?.close();
  });

  describe('HTTP requests', () => {
    it('are labelled with the module whose route served them: hosted here, forwarded to its process, or the platform', async () => {
      expect((await gateway.server.inject({ url: '/api/v1/users/me' })).statusCode).toBe(401);
      expect((await gateway.server.inject({ url: '/api/v1/products' })).statusCode).toBe(200); // forwarded to catalog
      expect((await gateway.server.inject({ url: '/api/v1/orders' })).statusCode).toBe(503); // its process is offline
      expect((await gateway.server.inject({ url: '/health/ready' })).statusCode).toBe(200);

      const text = await scrape();
      const count = (labels: Record<string, string>) => sampleValue(text, 'http_request_duration_seconds_count', { method: 'GET', ...labels });
      expect(count({ route: '/api/v1/users/me', status_code: '401', module: 'users' })).toBe(1);
      expect(count({ route: '/api/v1/products', status_code: '200', module: 'products' })).toBe(1);
      expect(count({ route: '/api/v1/orders', status_code: '503', module: 'orders' })).toBe(1);
      expect(count({ route: '/health/ready', status_code: '200', module: 'platform' })).toBe(1);
    });
  });

  describe('subscription queues', () => {
    it('report backlog, oldest pending and dead letters for every queue hosted here, and those kept for modules hosted elsewhere', async () => {
      const text = await scrape();
      const queues = new Set([...gateway.bus.queues, ...declaredQueues(DEFINITIONS)]);
      expect(gateway.bus.queues).toContain(FRAGILE_QUEUE);
      expect(queues).toContain(OFFLINE_QUEUE);
      expect(queues).toContain('orders.timer.expire-unpaid-order');
      for (const name of ['shop_subscription_backlog', 'shop_subscription_oldest_pending_seconds', 'shop_subscription_dead_letters']) {
        const samples = parseSamples(text).filter((sample) => sample.name === name);
        // One series per queue, and none for anything else.
        expect(new Set(samples.map((sample) => sample.labels.subscription)), name).toEqual(queues);
        for (const sample of samples) expect(sample.value, `${name}{subscription="${sample.labels.subscription}"}`).toBeGreaterThanOrEqual(0);
      }
    });

    it('raise the backlog and the oldest pending age of a queue nobody works, as events for it arrive', async () => {
      await registerAndLogin(gateway.server);
      await waitFor(
        async () => {
          const text = await scrape();
          return (
            (sampleValue(text, 'shop_subscription_backlog', { subscription: OFFLINE_QUEUE }) ?? 0) >= 1 &&
            (sampleValue(text, 'shop_subscription_oldest_pending_seconds', { subscription: OFFLINE_QUEUE }) ?? 0) > 0
          );
        },
        { what: `a backlog on ${OFFLINE_QUEUE}` },
      );
    });

    it('raise the dead letters of a subscription whose handler keeps failing', async () => {
      const deadLetters = async () => sampleValue(await scrape(), 'shop_subscription_dead_letters', { subscription: FRAGILE_QUEUE }) ?? 0;
      const before = await deadLetters();
      await registerAndLogin(gateway.server);
      await waitFor(async () => (await deadLetters()) > before, { timeoutMs: 30_000, what: `a dead letter on ${FRAGILE_QUEUE}` });
    });
  });

  describe('remote contract calls', () => {
    it('are timed by target, method and outcome, and the circuit state goes to 2 when the breaker opens', async () => {
      const calls = async (outcome: string) =>
        sampleValue(await scrape(), 'shop_remote_call_duration_seconds_count', { target: 'products', method: 'getProducts', outcome }) ?? 0;
      const circuit = async () => sampleValue(await scrape(), 'shop_remote_circuit_state', { target: 'products' });
      const lookUp = (id: string) => gateway.server.inject({ url: `/api/v1/shopper/products/${id}` });
      const known = randomUUID();

      expect((await lookUp(known)).statusCode).toBe(200);
      expect(await calls('ok')).toBe(1);
      expect(await circuit()).toBe(0);

      await catalog.close();
      // The same lookup is answered from its last good answer; the failure opens the circuit.
      expect((await lookUp(known)).statusCode).toBe(200);
      expect(await calls('stale')).toBe(1);
      expect(await circuit()).toBe(2);
      // A lookup never answered before has nothing to stand in.
      expect((await lookUp(randomUUID())).statusCode).toBe(503);
      expect(await calls('unavailable')).toBe(1);
      expect(await circuit()).toBe(2);
    });
  });

  describe('event bus', () => {
    it('count what is published and how each delivery ended, and time handlers and delivery lag', async () => {
      const figures = async () => {
        const text = await scrape();
        return {
          published: sampleValue(text, 'shop_events_published_total', { type: 'users.user-registered' }) ?? 0,
          deadLettered: sampleValue(text, 'shop_events_handled_total', { subscription: FRAGILE_QUEUE, outcome: 'dead_lettered' }) ?? 0,
          handlerTimings: sampleValue(text, 'shop_event_handler_duration_seconds_count', { subscription: FRAGILE_QUEUE }) ?? 0,
          lags: sampleValue(text, 'shop_event_delivery_lag_seconds_count', { subscription: FRAGILE_QUEUE }) ?? 0,
        };
      };
      const before = await figures();
      await registerAndLogin(gateway.server);
      const after = await waitFor(async () => {
        const now = await figures();
        return now.deadLettered > before.deadLettered && now;
      }, { timeoutMs: 30_000, what: `a dead-lettered delivery on ${FRAGILE_QUEUE}` });
      expect(after.published).toBeGreaterThan(before.published);
      expect(after.handlerTimings).toBeGreaterThan(before.handlerTimings);
      expect(after.lags).toBeGreaterThan(before.lags);
    });
  });
});
