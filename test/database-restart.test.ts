// Fault injection: PostgreSQL stops for 8 s under light load and starts again (on a server of this
// test's own: the run's shared one serves other test files meanwhile).
//
// Expected, and asserted:
// - during the outage every request is answered within OUTAGE_BOUND_MS, with a 503 problem+json
//   carrying Retry-After (never a hang, never a 500), and readiness says 503;
// - once the server is back, readiness says 200 only when every pool works (the platform's, each
//   module's, pg-boss's): every request sent after it succeeds, and quickly;
// - the event bus resumes by itself: every order acknowledged (201) before or after the outage
//   has its stock reserved (order-placed applied once by products, stock-reserved by orders), every
//   subscription reads on from its checkpoint to the end of the log, nothing is parked for a retry
//   or dead-lettered, and every product and order acknowledged is there;
// - the app then closes within its shutdown timeout.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_TIMEOUT_SECONDS, RECONNECT_DELAY_MAX_SECONDS } from '../src/platform/db/database.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/platform/db/embedded-postgres.js';
import { ensureDatabase } from '../src/platform/db/ensure-database.js';
import { runMigrations } from '../src/platform/db/migrate.js';
import { appliedCount } from './support/deliveries.js';
import { rawRequest } from './support/raw-http.js';
import { query } from './support/test-database.js';
import type { TestApp } from './support/test-app.js';
import { registerAndLogin, startAppWithAdmin, type TestUser } from './support/users.js';
import { startMonolith } from './support/topology.js';
import { waitFor } from './support/wait-for.js';

const OUTAGE_MS = 8000;
/** A request during the outage waits at most one back-off step and one connection attempt, plus slack for a loaded machine. */
const OUTAGE_BOUND_MS = (RECONNECT_DELAY_MAX_SECONDS + CONNECT_TIMEOUT_SECONDS) * 1000 + 500;
/** From the server accepting connections again to readiness 200; the slowest answer after it. */
const RECOVERY_BOUND_MS = 3000;
/** Anything still unanswered after this counts as hung. */
const HANG_MS = 10_000;
const SHUTDOWN_TIMEOUT_MS = 5000; // what test/support/test-app.ts gives the app
// What main.ts allows a shutdown before it gives up ("shutdown took too long"): the handlers' grace
// period plus 5 s for the pools; the drain is 0 here.
const SHUTDOWN_DEADLINE_MS = SHUTDOWN_TIMEOUT_MS + 5000;
const address = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' };

interface Sent {
  what: 'read product' | 'place order' | 'create product' | 'readiness';
  sentAt: number;
  answeredAt: number;
  status: number; // 0: no answer (hung or connection error)
  error?: string;
  contentType: string;
  retryAfter?: string;
  body: string;
}

async function send(baseUrl: string, what: Sent['what'], method: string, urlPath: string, token?: string, body?: unknown): Promise<Sent> {
  const sentAt = performance.now();
  const answer = await rawRequest(`${baseUrl}${urlPath}`, { method, timeoutMs: HANG_MS, ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
  const answeredAt = performance.now();
  if ('error' in answer) return { what, sentAt, answeredAt, status: 0, error: answer.error, contentType: '', body: '' };
  return { what, sentAt, answeredAt, status: answer.status, contentType: answer.contentType, ...(answer.retryAfter ? { retryAfter: answer.retryAfter } : {}), body: answer.body };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const latency = (request: Sent) => request.answeredAt - request.sentAt;
const ok = (request: Sent) => request.status === 200 || request.status === 201;

describe('PostgreSQL restart under light load', () => {
  let dataDir: string;
  let server: RunningPostgres;
  let databaseUrl: string;
  let app: TestApp | undefined;
  let baseUrl: string;
  let admin: { authorization: string };
  let customer: TestUser;
  let productId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-restart-'));
    await chmod(dataDir, 0o755); // the `postgres` OS user must enter it when tests run as root
    server = await startEmbeddedPostgres({ dataDir, password: 'restart-test-password', postgresFlags: ['-c', 'fsync=off'] });
    databaseUrl = await ensureDatabase(server.url, 'shop');
    await runMigrations(databaseUrl);
    const started = await startAppWithAdmin({ databaseUrl, env: { MAX_OPEN_ORDERS_PER_CUSTOMER: '0' } });
    app = started.app;
    admin = started.admin;
    customer = await registerAndLogin(started.client);
    const product = await app.server.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: admin,
      payload: { sku: 'RESTART-1', name: 'Restart mug', priceCents: 1500, stock: 100_000 },
    });
    expect(product.statusCode, product.body).toBe(201);
    productId = product.json().id;
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close().catch(() => {});
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 fast while it is down, is ready only when every pool works again, loses nothing and closes in time', async () => {
    const requests: Array<Promise<Sent>> = [];
    const readiness: Array<{ at: number; status: number; latency: number; body: string }> = [];
    let loading = true;
    let tick = 0;
    const adminToken = admin.authorization.replace(/^Bearer /, '');
    const placeOrder = () =>
      send(baseUrl, 'place order', 'POST', '/api/v1/orders', customer.token, { items: [{ productId, quantity: 1 }], shippingAddress: address });

    // About four requests a second: reads of a product, orders by a customer, now and then a new product.
    const load = (async () => {
      while (loading) {
        tick += 1;
        if (tick % 8 === 0) {
          requests.push(send(baseUrl, 'create product', 'POST', '/api/v1/products', adminToken, { sku: `RESTART-${tick}`, name: `Mug ${tick}`, priceCents: 900, stock: 10 }));
        } else if (tick % 2 === 0) {
          requests.push(placeOrder());
        } else {
          requests.push(send(baseUrl, 'read product', 'GET', `/api/v1/products/${productId}`));
        }
        await sleep(250);
      }
    })();
    const probe = (async () => {
      while (loading) {
        const at = performance.now();
        const answer = await send(baseUrl, 'readiness', 'GET', '/health/ready');
        readiness.push({ at, status: answer.status, latency: latency(answer), body: answer.body });
        await sleep(100);
      }
    })();

    await sleep(2000);
    // A few orders acknowledged right before the stop: their events are in flight when it comes.
    const lastBefore = await Promise.all([placeOrder(), placeOrder(), placeOrder()]);
    expect(lastBefore.map((sent) => sent.status)).toEqual([201, 201, 201]);
    requests.push(...lastBefore.map((sent) => Promise.resolve(sent)));
    const haltAt = performance.now();
    await server.halt('fast');
    const haltedAt = performance.now();
    await sleep(OUTAGE_MS);
    const startAt = performance.now();
    await server.start();
    const backAt = performance.now(); // accepting connections again

    const ready = await waitFor(async () => readiness.find((probe) => probe.at >= backAt && probe.status === 200), {
      timeoutMs: 15_000,
      intervalMs: 20,
      what: 'readiness 200 after the restart',
    });
    await sleep(5000); // requests keep coming after readiness
    loading = false;
    await Promise.all([load, probe]);
    const sent = await Promise.all(requests);

    // Every request is answered: a success or a 503 problem+json with Retry-After, nothing else.
    const unanswered = sent.filter((request) => request.status === 0);
    expect(unanswered.map((request) => `${request.what}: ${request.error} after ${Math.round(latency(request))} ms`)).toEqual([]);
    for (const request of sent.filter((request) => !ok(request))) {
      expect(request.status, `${request.what}: ${request.body}`).toBe(503);
      expect(request.contentType).toMatch(/^application\/problem\+json/);
      expect(request.retryAfter, `${request.what}: ${request.body}`).toMatch(/^\d+$/);
    }

    // During the outage (from the stop to the server accepting again): answered within the bound.
    const duringOutage = sent.filter((request) => request.sentAt >= haltAt && request.sentAt < backAt);
    const outageMax = Math.max(...duringOutage.map(latency));
    expect(duringOutage.length).toBeGreaterThan(OUTAGE_MS / 1000);
    expect(duringOutage.filter((request) => request.sentAt >= haltedAt && request.sentAt < startAt).every((request) => request.status === 503)).toBe(true);
    expect(outageMax, 'slowest answer during the outage (ms)').toBeLessThanOrEqual(OUTAGE_BOUND_MS);
    const readinessDuringOutage = readiness.filter((probe) => probe.at >= haltedAt && probe.at < startAt);
    expect(readinessDuringOutage.length).toBeGreaterThan(0);
    for (const probe of readinessDuringOutage) {
      expect(probe.status).toBe(503);
      expect(probe.latency).toBeLessThanOrEqual(OUTAGE_BOUND_MS);
    }

    // Back: readiness is 200 soon, and then everything works (readiness did not say 200 too early).
    const toReady = ready.at + ready.latency - backAt;
    expect(toReady).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    const afterReady = sent.filter((request) => request.sentAt >= ready.at + ready.latency);
    expect(afterReady.length).toBeGreaterThan(5);
    expect(afterReady.filter((request) => !ok(request)).map((request) => `${request.what}: ${request.status} ${request.body}`)).toEqual([]);
    const afterReadyMax = Math.max(...afterReady.map(latency));
    expect(afterReadyMax, 'slowest answer after readiness (ms)').toBeLessThan(RECOVERY_BOUND_MS);
    expect(readiness.filter((probe) => probe.at > ready.at && probe.status !== 200).map((probe) => `${Math.round(probe.at - backAt)} ms: ${probe.status} ${probe.body}`)).toEqual([]);
    const firstOrder = sent
      .filter((request) => request.what === 'place order' && request.status === 201 && request.sentAt >= backAt)
      .sort((a, b) => a.answeredAt - b.answeredAt)[0];
    expect(firstOrder, 'an order placed after the restart').toBeDefined();
    const toFirstOrder = firstOrder!.answeredAt - backAt;
    expect(toFirstOrder).toBeLessThanOrEqual(RECOVERY_BOUND_MS + 1000);

    // Nothing acknowledged is lost, and the bus resumed: every order's stock is reserved.
    const orders = sent.filter((request) => request.what === 'place order' && request.status === 201).map((request) => JSON.parse(request.body).id as string);
    const products = sent.filter((request) => request.what === 'create product' && request.status === 201).map((request) => JSON.parse(request.body).id as string);
    expect(orders.length).toBeGreaterThanOrEqual(8);
    const settleStart = performance.now();
    await waitFor(
      async () => {
        const rows = await query<{ n: number }>(databaseUrl, `select count(*)::int as n from orders.orders where id = any($1::uuid[]) and status = 'awaiting_payment'`, [orders]);
        return rows[0]!.n === orders.length;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'every acknowledged order to have its stock reserved' },
    );
    const settledMs = performance.now() - settleStart;
    const [stock] = await query<{ reserved: number }>(databaseUrl, 'select reserved from products.products where id = $1', [productId]);
    expect(stock!.reserved).toBe(orders.length);
    for (const id of products) expect((await app!.server.inject({ url: `/api/v1/products/${id}` })).statusCode).toBe(200);
    for (const id of orders) expect((await app!.server.inject({ url: `/api/v1/orders/${id}`, headers: customer.auth })).statusCode).toBe(200);
    // The bus resumed by itself: the subscriptions read on from their checkpoints, and every event
    // is dealt with, the outage's included. A batch that met the outage rolled back and was read
    // again (never parked for it: a database that is away is no handler's failure), so nothing
    // waits for a retry and nothing is dead-lettered.
    const backAtWall = new Date(Date.now() - (performance.now() - backAt));
    const behind = () =>
      query<{ name: string; unread: number; open: number }>(
        databaseUrl,
        `select checkpoint.name,
                (select count(*) from events.log log where log.type = any(checkpoint.types)
                    and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position))::int as unread,
                (select count(*) from pgboss.job job where job.name in (checkpoint.name, checkpoint.name || '.dead-letter') and job.state <> 'completed')::int as open
           from events.subscriptions checkpoint`,
      ).then((rows) => rows.filter((row) => row.unread > 0 || row.open > 0));
    await waitFor(async () => (await behind()).length === 0, { timeoutMs: 20_000, intervalMs: 100, what: `every subscription to catch up (behind: ${JSON.stringify(await behind())})` });
    // Events published after the restart that the subscriptions of their types have read.
    const [delivered] = await query<{ n: number }>(
      databaseUrl,
      `select count(*)::int as n from events.log log join events.subscriptions checkpoint on log.type = any(checkpoint.types)
        where log.occurred_at >= $1 and (log.transaction_id, log.position) <= (checkpoint.transaction_id, checkpoint.position)`,
      [backAtWall],
    );
    // Each order's order-placed once in the log and applied once by products (one reservation, one
    // unit held per order, checked above), so once everywhere its answer is: one stock-reserved.
    const [placed] = await query<{ events: number; orders: number }>(
      databaseUrl,
      `select count(*)::int as events, count(distinct envelope->'data'->>'orderId')::int as orders from events.log where type = 'orders.order-placed' and envelope->'data'->>'orderId' = any($1)`,
      [orders],
    );
    expect(placed).toEqual({ events: orders.length, orders: orders.length });
    const [answered] = await query<{ events: number; orders: number }>(
      databaseUrl,
      `select count(*)::int as events, count(distinct envelope->'data'->>'orderId')::int as orders from events.log where type in ('products.stock-reserved', 'products.stock-rejected')`,
    );
    expect(answered).toEqual({ events: orders.length, orders: orders.length });
    expect(await appliedCount(databaseUrl, 'products.reserve-stock')).toBe(orders.length);
    expect(await appliedCount(databaseUrl, 'orders.stock-reserved')).toBe(orders.length);
    const [deadLettered] = await query<{ n: number }>(databaseUrl, `select count(*)::int as n from pgboss.job where name like '%.dead-letter'`);
    const [parked] = await query<{ n: number }>(databaseUrl, `select count(*)::int as n from pgboss.job where name in (select name from events.subscriptions)`);
    expect(delivered!.n).toBeGreaterThan(0);
    expect(deadLettered!.n).toBe(0);
    expect(parked!.n, 'events parked because of the outage').toBe(0);

    // And it closes in time.
    const closeStart = performance.now();
    await app!.close();
    const closeMs = performance.now() - closeStart;
    app = undefined;
    expect(closeMs).toBeLessThan(SHUTDOWN_DEADLINE_MS);

    const beforeOutage = sent.filter((request) => request.sentAt < haltAt);
    console.info(
      [
        `database restart: PostgreSQL down ${Math.round(backAt - haltAt)} ms (stop ${Math.round(haltedAt - haltAt)} ms, start ${Math.round(backAt - startAt)} ms); bound ${OUTAGE_BOUND_MS} ms`,
        `  requests: ${sent.length} (${beforeOutage.length} before, ${duringOutage.length} during the outage, ${afterReady.length} after readiness 200)`,
        `  during the outage: ${duringOutage.filter((request) => request.status === 503).length} answered 503, ${duringOutage.filter(ok).length} succeeded; max latency ${Math.round(outageMax)} ms; readiness 503 ×${readinessDuringOutage.length}, max ${Math.round(Math.max(...readinessDuringOutage.map((probe) => probe.latency)))} ms`,
        `  restart → readiness 200: ${Math.round(toReady)} ms; restart → first order 201: ${Math.round(toFirstOrder)} ms; max latency after readiness ${Math.round(afterReadyMax)} ms`,
        `  orders acknowledged: ${orders.length}, products: ${products.length + 1}; all orders awaiting payment ${Math.round(settledMs)} ms after the load ended; events delivered after the restart: ${delivered!.n}; parked: ${parked!.n}; dead-lettered: ${deadLettered!.n}`,
        `  app.close(): ${Math.round(closeMs)} ms (handlers' grace ${SHUTDOWN_TIMEOUT_MS} ms, deadline ${SHUTDOWN_DEADLINE_MS} ms)`,
      ].join('\n'),
    );
  }, 60_000);

  // The operator's view: the real process, PostgreSQL restarted under it, then SIGTERM. Before the
  // pools were made to recover, such a shutdown overran its deadline ("shutdown took too long").
  it('lets a real process shut down on SIGTERM within its deadline after PostgreSQL restarted under it', async () => {
    const processDatabase = await ensureDatabase(server.url, 'shop_process');
    const topology = await startMonolith(processDatabase, { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) });
    try {
      const readiness = () => send(topology.baseUrl, 'readiness', 'GET', '/health/ready');
      expect((await readiness()).status).toBe(200);
      await server.halt('fast');
      const down = await send(topology.baseUrl, 'read product', 'GET', `/api/v1/products/${productId}`);
      expect(down.status).toBe(503);
      await sleep(2000); // an outage, not a blip: the pools' connections are gone
      await server.start();
      const recoveredAt = performance.now();
      await waitFor(async () => (await readiness()).status === 200, { timeoutMs: RECOVERY_BOUND_MS, intervalMs: 50, what: 'readiness 200 again' });
      const readyMs = Math.round(performance.now() - recoveredAt);

      const signalledAt = performance.now();
      topology.processes.monolith!.child.kill('SIGTERM');
      const exitCode = await topology.processes.monolith!.child.exited;
      const shutdownMs = Math.round(performance.now() - signalledAt);
      console.info(`database restart, real process: ready ${readyMs} ms after PostgreSQL came back; SIGTERM to exit ${shutdownMs} ms, exit code ${exitCode}`);
      expect(exitCode).toBe(0);
      expect(topology.processes.monolith!.child.output()).not.toMatch(/shutdown took too long/);
      expect(shutdownMs).toBeLessThan(SHUTDOWN_DEADLINE_MS);
    } finally {
      topology.processes.monolith!.child.kill();
    }
  }, 60_000);
});
