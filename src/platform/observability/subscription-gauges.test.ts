// The subscription gauges over the real event log and real pg-boss queues (real Postgres): what
// counts as backlog (events after the checkpoint, due parked jobs), how old the oldest waiting one
// is, how many dead letters wait, and a scrape that still answers when the query cannot.
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envReader } from '../config/env-reader.js';
import { readEventsConfig } from '../events/events-config.js';
import { dealtWith } from '../../../test/support/deliveries.js';
import { createFixtureSchema, FIXTURE_EVENTS, startTestBus, TEST_EVENTS_ENV, type TestBus } from '../../../test/support/test-bus.js';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { connectDatabase, type Database } from '../db/database.js';
import { deadLetterQueue } from '../events/event-bus.js';
import { ensureParkQueue } from '../events/parked-events.js';
import { registerSubscriptionGauges, type SubscriptionGaugesOptions } from './subscription-gauges.js';
import { parseSamples, sampleValue } from './testing/prometheus-text.js';

const BUSY = 'fixture.busy';
const QUIET = 'fixture.quiet';

describe('subscription gauges', () => {
  let url: string;
  let testBus: TestBus;
  let database: Database;
  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
    // Declared, not subscribed: they have checkpoints and nobody reads them, so what is published
    // waits in the log. Their park queues are made as the process hosting them would, and nobody
    // works them either, so what is sent there stays.
    testBus = await startTestBus(url, [], {}, [
      { module: 'fixture', name: 'busy', pattern: 'fixture.thing-happened' },
      { module: 'fixture', name: 'quiet', pattern: 'fixture.other-happened' },
    ]);
    for (const queue of [BUSY, QUIET]) await ensureParkQueue(testBus.bus.boss, queue, readEventsConfig(envReader(TEST_EVENTS_ENV, false)));
    database = connectDatabase(url, { max: 2 });
  });
  afterAll(async () => {
    await testBus.close();
    await database.close();
  });

  function gauges(overrides: Partial<SubscriptionGaugesOptions> = {}) {
    const registry = new Registry();
    const warnings: unknown[] = [];
    registerSubscriptionGauges(registry, {
      sql: database.sql,
      schema: 'pgboss',
      queues: () => [BUSY, QUIET],
      logger: { warn: (details: unknown) => void warnings.push(details) },
      ...overrides,
    });
    return { registry, warnings };
  }

  it('reports every queue at 0 while nothing waits', async () => {
    const text = await gauges().registry.metrics();
    for (const subscription of [BUSY, QUIET]) {
      expect(sampleValue(text, 'shop_subscription_backlog', { subscription })).toBe(0);
      expect(sampleValue(text, 'shop_subscription_oldest_pending_seconds', { subscription })).toBe(0);
      expect(sampleValue(text, 'shop_subscription_dead_letters', { subscription })).toBe(0);
    }
  });

  it('counts the events after the checkpoint and the due parked jobs as backlog, dates the oldest by when it fell due, and counts the dead letters', async () => {
    const { boss } = testBus.bus;
    await testBus.bus.transaction('fixture', async (_tx, publish) => {
      await publish(FIXTURE_EVENTS.thingHappened, { answer: 1 });
      await publish(FIXTURE_EVENTS.thingHappened, { answer: 2 });
    });
    // Due two minutes ago and still waiting: the oldest.
    await boss.send(BUSY, { id: 'late' }, { startAfter: new Date(Date.now() - 120_000) });
    // Not due for an hour (a timer, or a retry backing off): not backlog yet.
    await boss.send(BUSY, { id: 'later' }, { startAfter: 3600 });
    await boss.send(deadLetterQueue(BUSY), { id: 'parked-1' });
    await boss.send(deadLetterQueue(BUSY), { id: 'parked-2' });

    const text = await gauges().registry.metrics();
    // The two events in the log, and the parked job that is due.
    expect(sampleValue(text, 'shop_subscription_backlog', { subscription: BUSY })).toBe(3);
    expect(sampleValue(text, 'shop_subscription_oldest_pending_seconds', { subscription: BUSY })).toBeGreaterThanOrEqual(100);
    expect(sampleValue(text, 'shop_subscription_dead_letters', { subscription: BUSY })).toBe(2);
    expect(sampleValue(text, 'shop_subscription_backlog', { subscription: QUIET })).toBe(0);
    expect(sampleValue(text, 'shop_subscription_dead_letters', { subscription: QUIET })).toBe(0);
  });

  it('reads the queues at each scrape, so subscriptions added after registration are reported', async () => {
    const queues = [QUIET];
    const { registry } = gauges({ queues: () => queues });
    expect(sampleValue(await registry.metrics(), 'shop_subscription_backlog', { subscription: BUSY })).toBeUndefined();
    queues.push(BUSY);
    expect(sampleValue(await registry.metrics(), 'shop_subscription_backlog', { subscription: BUSY })).toBe(3);
  });

  it('reads a queue pg-boss keeps in a partition of its own like any other', async () => {
    const { boss } = testBus.bus;
    const partitioned = 'fixture.partitioned';
    await boss.createQueue(deadLetterQueue(partitioned), { partition: true });
    await boss.createQueue(partitioned, { partition: true, deadLetter: deadLetterQueue(partitioned) });
    const [kept] = await query<{ table_name: string }>(url, 'select table_name from pgboss.queue where name = $1 and partition', [partitioned]);
    expect(kept?.table_name).not.toBe('job_common');
    await boss.send(partitioned, { id: 'waiting' });
    await boss.send(deadLetterQueue(partitioned), { id: 'parked' });
    const text = await gauges({ queues: () => [partitioned] }).registry.metrics();
    expect(sampleValue(text, 'shop_subscription_backlog', { subscription: partitioned })).toBe(1);
    expect(sampleValue(text, 'shop_subscription_dead_letters', { subscription: partitioned })).toBe(1);
  });

  it('serves the rest of the registry without the gauges, and says why, when the query fails', async () => {
    const { registry, warnings } = gauges({ schema: 'no_such_schema' });
    new Counter({ name: 'still_served_total', help: 'a metric of the same registry', registers: [registry] }).inc();
    const text = await registry.metrics();
    expect(sampleValue(text, 'still_served_total')).toBe(1);
    expect(parseSamples(text).filter((sample) => sample.name.startsWith('shop_subscription_'))).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('gives up on a job table it cannot read within the statement timeout', async () => {
    const { registry, warnings } = gauges();
    // A migration or a maintenance pass holding the table: the scrape must not wait for it.
    await database.sql.begin(async (tx) => {
      await tx`lock table pgboss.job in access exclusive mode`;
      const text = await registry.metrics();
      expect(parseSamples(text).filter((sample) => sample.name.startsWith('shop_subscription_'))).toEqual([]);
    });
    expect(warnings).toEqual([{ err: expect.objectContaining({ code: '57014' }) }]); // query_canceled: the statement timeout
    expect(sampleValue(await registry.metrics(), 'shop_subscription_backlog', { subscription: BUSY })).toBe(3);
  });

  it('stops counting an event once the subscription has read it, while one that has not still counts it', async () => {
    // Hosted here, it reads what QUIET (declared, never read) reads.
    const reading = await startTestBus(url, [{ name: 'reading', pattern: 'fixture.other-happened', handler: async () => {} }]);
    try {
      const eventId = await reading.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.otherHappened, { answer: 3 }));
      await waitFor(() => dealtWith(url, 'fixture.reading', eventId), { what: 'the event read' });
      const text = await gauges({ queues: () => ['fixture.reading', QUIET] }).registry.metrics();
      expect(sampleValue(text, 'shop_subscription_backlog', { subscription: 'fixture.reading' })).toBe(0);
      expect(sampleValue(text, 'shop_subscription_oldest_pending_seconds', { subscription: 'fixture.reading' })).toBe(0);
      expect(sampleValue(text, 'shop_subscription_backlog', { subscription: QUIET })).toBe(1);
    } finally {
      await reading.close();
    }
  });
});
