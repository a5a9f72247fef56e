// Timers: a module's delayed work, written as a pg-boss job with a start time in the scheduling
// transaction, handled once through the inbox, retried and dead-lettered like an event.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envReader } from '../config/env-reader.js';
import { createFixtureSchema, FIXTURE_CATALOG, FIXTURE_SCHEMA, TEST_EVENTS_ENV } from '../../../test/support/test-bus.js';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { connectDatabase } from '../db/database.js';
import { createLogger } from '../logging/logger.js';
import { listDeadLetters } from './dead-letters.js';
import { EventBus, timerQueue, type EventHandler } from './event-bus.js';
import { readEventsConfig } from './events-config.js';

const recordEffect: EventHandler = async (timer, { tx }) => {
  await tx.execute(sql`insert into fixture.effects (event_id, subscription, event_type) values (${timer.id}, 'timer', ${timer.type})`);
};

describe('event bus timers', () => {
  let url: string;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function startBus(name: string, handler: EventHandler, afterSeconds = 1) {
    const config = { ...readEventsConfig(envReader(TEST_EVENTS_ENV, false)), retryLimit: 1 };
    const database = connectDatabase(url, { max: 3 });
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 });
    boss.on('error', () => {});
    await boss.start();
    const bus = new EventBus({ boss, databaseOf: () => database.db, db: database.db, logger: createLogger({ level: 'silent', pretty: false }), config, catalog: FIXTURE_CATALOG });
    bus.handleTimer({ module: 'fixture', schema: FIXTURE_SCHEMA, name, afterSeconds, handler });
    await bus.start();
    closers.push(async () => {
      await bus.stop(2000);
      await database.close();
    });
    return bus;
  }
  const effects = (id: string) => query<{ event_type: string }>(url, 'select event_type from fixture.effects where event_id = $1', [id]);

  it('runs a timer once, no sooner than its delay after the scheduling transaction', async () => {
    const bus = await startBus('fire-once', recordEffect);
    const id = randomUUID();
    const scheduledAt = Date.now();
    await bus.transaction('fixture', (_tx, _publish, schedule) => schedule('fire-once', { answer: 42 }, { id }));
    await waitFor(async () => (await effects(id)).length > 0, { what: 'the timer to fire' });
    expect(Date.now() - scheduledAt).toBeGreaterThanOrEqual(900);
    expect(await effects(id)).toEqual([{ event_type: timerQueue({ module: 'fixture', name: 'fire-once' }) }]);
  });

  it('runs a timer scheduled twice with one id once', async () => {
    const bus = await startBus('deduplicated', recordEffect);
    const id = randomUUID();
    await bus.transaction('fixture', (_tx, _publish, schedule) => schedule('deduplicated', {}, { id }));
    await bus.transaction('fixture', (_tx, _publish, schedule) => schedule('deduplicated', {}, { id }));
    await waitFor(async () => (await bus.boss.findJobs(timerQueue({ module: 'fixture', name: 'deduplicated' }), { id }))[0]?.state === 'completed', { what: 'the timer to run' });
    expect(await effects(id)).toHaveLength(1);
  });

  it('leaves no timer when the scheduling transaction rolls back', async () => {
    const bus = await startBus('rolled-back', recordEffect);
    const id = randomUUID();
    await expect(
      bus.transaction('fixture', async (_tx, _publish, schedule) => {
        await schedule('rolled-back', {}, { id });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await bus.boss.findJobs(timerQueue({ module: 'fixture', name: 'rolled-back' }), { id })).toEqual([]);
  });

  it('refuses a timer the module does not have', async () => {
    const bus = await startBus('known', recordEffect);
    await expect(bus.transaction('fixture', (_tx, _publish, schedule) => schedule('unknown', {}))).rejects.toThrow(/not one of its timers/);
  });

  it('dead-letters a timer whose handler keeps failing, where the dead-letter tools list it', async () => {
    const bus = await startBus('always-failing', async () => {
      throw new Error('handler bug');
    }, 0);
    const id = randomUUID();
    await bus.transaction('fixture', (_tx, _publish, schedule) => schedule('always-failing', { answer: 1 }, { id }));
    const [letter] = await waitFor(async () => {
      const letters = await listDeadLetters(bus, timerQueue({ module: 'fixture', name: 'always-failing' }));
      return letters.length > 0 && letters;
    }, { what: 'the dead letter' });
    expect(letter).toMatchObject({ event: { id, data: { answer: 1 } }, attempts: 2, error: 'handler bug' });
  });
});
