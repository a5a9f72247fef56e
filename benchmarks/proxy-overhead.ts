// The cost of extraction, same machine, same run: the same requests against the monolith (every
// call in process) and against the split topology (gateway → module process, and contracts over
// HTTP). Run: `npm run bench:proxy` (embedded PostgreSQL in a temp folder).
//
//   GET /api/v1/payments/:id   monolith vs gateway proxying to the payments process
//   GET /api/v1/orders/:id     monolith vs gateway → orders process, which composes the order
//                              by calling users and products over HTTP (service tokens, breaker…)
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.js';
import { ensureDatabase } from '../src/platform/db/ensure-database.js';
import { runMigrations } from '../src/platform/db/migrate.js';
import { startMonolith, startSplit, type Topology } from '../test/support/topology.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A customer with one paid order, created through the public API of `base`. */
async function seed(base: string) {
  const post = (path: string, body: unknown, token?: string, headers: Record<string, string> = {}) =>
    json(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const admin = (await post('/api/v1/auth/login', ADMIN)).accessToken;
  const suffix = randomUUID().slice(0, 8);
  await post('/api/v1/users', { email: `bench-${suffix}@example.com`, username: `bench_${suffix}`, password: 'bench-password' });
  const token = (await post('/api/v1/auth/login', { email: `bench-${suffix}@example.com`, password: 'bench-password' })).accessToken;
  const product = await post('/api/v1/products', { sku: `B-${suffix}`, name: 'Bench', priceCents: 100, stock: 100 }, admin);
  const order = await post('/api/v1/orders', { items: [{ productId: product.id, quantity: 1 }], shippingAddress: { street: 's', city: 'c', zipCode: '1', country: 'US' } }, token);
  const payment = await waitFor(async () => {
    try {
      return await post('/api/v1/payments', { orderId: order.id, card: { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' } }, token, { 'idempotency-key': `bench-${order.id}` });
    } catch {
      return null; // the order is not payable until stock is reserved
    }
  });
  return { token, orderId: order.id as string, paymentId: payment.id as string };
}

async function waitFor<T>(probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function load(url: string, token: string) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const at = performance.now();
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

async function measure(topology: Topology) {
  const base = topology.baseUrl;
  const { token, orderId, paymentId } = await seed(base);
  await load(`${base}/api/v1/orders/${orderId}`, token); // warm-up: connections, JIT, caches
  return {
    payment: await load(`${base}/api/v1/payments/${paymentId}`, token),
    order: await load(`${base}/api/v1/orders/${orderId}`, token),
  };
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-bench-proxy-'));
  await chmod(dataDir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir, password: 'bench' });
  const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  try {
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (const [name, start] of [['monolith', startMonolith], ['split', startSplit]] as const) {
      const url = await ensureDatabase(server.url, `bench_${name}`);
      await runMigrations(url);
      const topology = await start(url, env);
      try {
        results[name] = await measure(topology);
      } finally {
        await topology.stop();
      }
    }
    console.log(`${REQUESTS} requests per row, ${CONCURRENCY} concurrent, same machine, same run`);
    console.log('request'.padEnd(42), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'req/s vs monolith'.padStart(19), 'p50 vs monolith'.padStart(17));
    for (const [label, key] of [['GET payment (proxy only)', 'payment'], ['GET order (proxy + 2 contracts)', 'order']] as const) {
      const base = results.monolith![key];
      for (const name of ['monolith', 'split'] as const) {
        const row = results[name]![key];
        console.log(
          `${label}, ${name}`.padEnd(42),
          row.rps.toFixed(0).padStart(8),
          row.p50.toFixed(2).padStart(8),
          row.p99.toFixed(2).padStart(8),
          `${(row.rps / base.rps).toFixed(2)}x`.padStart(19),
          `${(row.p50 / base.p50).toFixed(2)}x`.padStart(17),
        );
      }
    }
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
