// Commit-to-handler latency of the event bus, against a polling-only baseline, same run, same
// machine. Run: `npm run bench:events` (embedded PostgreSQL in a temp folder unless DATABASE_URL).
//
//   baseline        pg-boss work() polling every 2 s (its default), no wake-up
//   same process    EventBus: the publisher's own process wakes the worker after commit
//   other instance  EventBus: publisher and subscriber are separate pg-boss instances (as in two
//                   processes); the worker is woken by LISTEN/NOTIFY
//
// Latency is measured from the start of the publishing transaction to the start of the handler.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PgBoss } from 'pg-boss';
import { Type } from 'typebox';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/platform/db/database.js';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.js';
import { ensureDatabase } from '../src/platform/db/ensure-database.js';
import { EventBus } from '../src/platform/events/event-bus.js';
import { defineEvent } from '../src/platform/events/event-definition.js';
import { createLogger } from '../src/platform/logging/logger.js';
import { createFixtureSchemaSql } from './support/fixture-schema.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100);
const GAP_MS = 20;
const THING_HAPPENED = defineEvent('bench.thing-happened', Type.Object({ sentAt: Type.Number() }));
const silent = createLogger({ level: 'silent', pretty: false });
const events = loadConfig({ EVENTS_POLLING_INTERVAL_SECONDS: '2' }).events;

async function newBoss(url: string) {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3, useListenNotify: true });
  boss.on('error', () => {});
  return boss.start();
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1)! };
}

async function measure(publish: (sentAt: number) => Promise<void>, arrivals: Map<number, number>): Promise<number[]> {
  const sent: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const sentAt = performance.now();
    sent.push(sentAt);
    await publish(sentAt);
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  }
  const deadline = Date.now() + 30_000;
  while (arrivals.size < EVENTS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return sent.map((sentAt) => (arrivals.get(sentAt) ?? Number.NaN) - sentAt);
}

async function baseline(url: string) {
  const boss = await newBoss(url);
  await boss.createQueue('bench.baseline');
  const arrivals = new Map<number, number>();
  await boss.work<{ sentAt: number }>('bench.baseline', { batchSize: 10, pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) arrivals.set(job.data.sentAt, performance.now());
  });
  const samples = await measure((sentAt) => boss.send('bench.baseline', { sentAt }).then(() => {}), arrivals);
  await boss.stop({ graceful: false });
  return samples;
}

async function eventBus(url: string, separateInstances: boolean, name: string) {
  const database = connectDatabase(url, { max: 4 });
  const arrivals = new Map<number, number>();
  const subscriberBoss = await newBoss(url);
  const subscriber = new EventBus({ boss: subscriberBoss, databaseOf: () => database.db, logger: silent, config: events, catalog: [THING_HAPPENED] });
  subscriber.subscribe({
    module: 'bench',
    schema: 'bench',
    name,
    pattern: THING_HAPPENED.type,
    handler: async (event) => void arrivals.set((event.data as { sentAt: number }).sentAt, performance.now()),
  });
  await subscriber.start();
  let publisher = subscriber;
  if (separateInstances) {
    publisher = new EventBus({ boss: await newBoss(url), databaseOf: () => database.db, logger: silent, config: events, catalog: [THING_HAPPENED] });
    await publisher.start();
  }
  const samples = await measure((sentAt) => publisher.transaction('bench', (_tx, publish) => publish(THING_HAPPENED, { sentAt })), arrivals);
  await subscriber.stop(1000);
  if (publisher !== subscriber) await publisher.stop(1000);
  await database.close();
  return samples;
}

async function main() {
  let url = process.env.DATABASE_URL;
  let cleanup = async () => {};
  if (!url) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-bench-'));
    await chmod(dataDir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir, password: 'bench' });
    url = await ensureDatabase(server.url, 'bench');
    cleanup = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const sql = connectDatabase(url, { max: 1 });
  await sql.sql.unsafe(createFixtureSchemaSql('bench'));
  await sql.close();

  const rows = [
    ['baseline (polling 2 s)', await baseline(url)],
    ['same process (wake after commit)', await eventBus(url, false, 'same-process')],
    ['other instance (LISTEN/NOTIFY)', await eventBus(url, true, 'other-instance')],
  ] as const;
  const base = percentiles(rows[0][1]).p50;
  console.log(`commit-to-handler latency over ${EVENTS} events each (ms)`);
  console.log('scenario'.padEnd(36), 'p50'.padStart(8), 'p95'.padStart(8), 'p99'.padStart(8), 'max'.padStart(8), 'p50 vs baseline'.padStart(17));
  for (const [name, samples] of rows) {
    const p = percentiles(samples);
    const lost = samples.filter(Number.isNaN).length;
    console.log(
      name.padEnd(36),
      ...[p.p50, p.p95, p.p99, p.max].map((value) => value.toFixed(1).padStart(8)),
      `${(p.p50 / base).toFixed(3)}x`.padStart(17),
      lost ? `(${lost} not delivered in 30 s)` : '',
    );
  }
  await cleanup();
}

await main();
