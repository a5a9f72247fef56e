// Commit-to-handler latency of the event bus at a steady publishing rate, against pg-boss polling
// with its defaults (a plain `work()`): the time from the start of the publishing transaction to
// the start of the handler, and whether the subscriber keeps up (what is still undelivered when
// publishing stops, and how long it takes to catch up).
import { PgBoss } from 'pg-boss';
import { Type } from 'typebox';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/platform/db/database.js';
import { EventBus } from '../../src/platform/events/event-bus.js';
import { defineEvent } from '../../src/platform/events/event-definition.js';
import { createLogger } from '../../src/platform/logging/logger.js';

const THING_HAPPENED = defineEvent('bench.thing-happened', Type.Object({ sentAt: Type.Number() }));
const silent = createLogger({ level: 'silent', pretty: false });
const CATCH_UP_LIMIT_MS = 15_000;

export interface EventLatency {
  rate: number;
  published: number;
  p50Ms: number;
  p99Ms: number;
  /** Events not yet handled when publishing stopped: a backlog that grows with the run's length. */
  backlogAtEnd: number;
  /** From the last publish to the last handler start (NaN: not all within the limit). */
  catchUpMs: number;
}

const fixtureSchemaSql = `create schema if not exists bench;
  create table if not exists bench.inbox (event_id uuid not null, subscription text not null, event_type text not null,
    handled_at timestamptz not null default now(), primary key (subscription, event_id));`;

async function newBoss(url: string) {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4, useListenNotify: true });
  boss.on('error', () => {});
  return boss.start();
}

/** Publishes `rate` events a second for `seconds`, ticking every 10 ms, and waits for the handler to see them all. */
async function drive(rate: number, seconds: number, publish: (sentAt: number) => Promise<void>, arrivals: Map<number, number>): Promise<EventLatency> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) inFlight.push(publish(performance.now() + sent * 1e-6));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(inFlight);
  const stoppedAt = performance.now();
  const backlogAtEnd = total - arrivals.size;
  const deadline = Date.now() + CATCH_UP_LIMIT_MS;
  while (arrivals.size < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  const latencies = [...arrivals].map(([sentAt, at]) => at - sentAt).sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return {
    rate,
    published: total,
    p50Ms: arrivals.size === total ? at(0.5) : Number.NaN,
    p99Ms: arrivals.size === total ? at(0.99) : Number.NaN,
    backlogAtEnd,
    catchUpMs: arrivals.size === total ? Math.max(0, Math.max(...arrivals.values()) - stoppedAt) : Number.NaN,
  };
}

/** A plain pg-boss queue and `work()` with pg-boss's defaults: what a hand-written subscriber gets. */
export async function pgBossDefaults(url: string, rate: number, seconds: number): Promise<EventLatency> {
  const boss = await newBoss(url);
  const queue = `bench.defaults-${rate}`;
  await boss.createQueue(queue);
  const arrivals = new Map<number, number>();
  await boss.work<{ sentAt: number }>(queue, async (jobs) => {
    for (const job of jobs) arrivals.set(job.data.sentAt, performance.now());
  });
  try {
    return await drive(rate, seconds, (sentAt) => boss.send(queue, { sentAt }).then(() => {}), arrivals);
  } finally {
    await boss.stop({ graceful: false });
  }
}

/** The app's EventBus: a module publishing in its transaction, a subscription in the same process. */
export async function eventBus(url: string, rate: number, seconds: number): Promise<EventLatency> {
  const database = connectDatabase(url, { max: 5 });
  await database.sql.unsafe(fixtureSchemaSql);
  const arrivals = new Map<number, number>();
  const bus = new EventBus({ boss: await newBoss(url), databaseOf: () => database.db, db: database.db, logger: silent, config: loadConfig({}).events, catalog: [THING_HAPPENED] });
  bus.subscribe({
    module: 'bench',
    schema: 'bench',
    name: `latency-${rate}`,
    pattern: THING_HAPPENED.type,
    handler: async (event) => void arrivals.set((event.data as { sentAt: number }).sentAt, performance.now()),
  });
  await bus.start();
  try {
    return await drive(rate, seconds, (sentAt) => bus.transaction('bench', async (_tx, publish) => void (await publish(THING_HAPPENED, { sentAt }))), arrivals);
  } finally {
    // Each run's subscription goes with it: left behind, a later run of the same rate would start
    // from its checkpoint and take the runs in between as its own.
    const queue = `bench.latency-${rate}`;
    await database.sql`delete from events.subscriptions where name = ${queue}`;
    await bus.boss.deleteQueue(queue);
    await bus.stop(1000);
    await database.close();
  }
}
