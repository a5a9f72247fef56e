// Delivery across processes does not wait for polling: a commit in one process reaches a
// subscription hosted by another through the event log's NOTIFY, within a fraction of the polling
// interval, and a process ignores the notifications of its own commits (its subscriptions were woken
// in process already).
import { PgBoss } from 'pg-boss';
import postgres from 'postgres';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envReader } from '../config/env-reader.js';
import { readEventsConfig } from './events-config.js';
import { createFixtureSchema, FIXTURE_CATALOG, FIXTURE_EVENTS, FIXTURE_SCHEMA, TEST_EVENTS_ENV } from '../../../test/support/test-bus.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { connectDatabase } from '../db/database.js';
import { createLogger } from '../logging/logger.js';
import { EventBus, EVENTS_CHANNEL, type EventHandler, type Listen } from './event-bus.js';

// Far longer than the test waits: a delivery seen in time was woken, not polled.
const SLOW_POLLING = { ...TEST_EVENTS_ENV, EVENTS_POLLING_INTERVAL_SECONDS: '60' };

describe('waking subscriptions in other processes', () => {
  let url: string;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** One "process": its own pools, pg-boss, LISTEN session and instance name, as the app has them. */
  async function startProcess(instance: string, handler?: EventHandler) {
    const database = connectDatabase(url, { max: 3, instance });
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 2 });
    boss.on('error', () => {});
    await boss.start();
    const heard: string[] = [];
    const listener = postgres(url, { max: 1, onnotice: () => {} });
    const listen: Listen = async (channel, onMessage) => {
      const { unlisten } = await listener.listen(channel, (payload) => {
        heard.push(payload);
        onMessage(payload);
      });
      return unlisten;
    };
    const bus = new EventBus({
      boss,
      databaseOf: () => database.db,
      db: database.db,
      listen,
      instance,
      logger: createLogger({ level: 'silent', pretty: false }),
      config: readEventsConfig(envReader(SLOW_POLLING, false)),
      catalog: FIXTURE_CATALOG,
    });
    if (handler) bus.subscribe({ module: 'fixture', schema: FIXTURE_SCHEMA, name: 'woken', pattern: 'fixture.thing-happened', handler });
    else bus.declare({ module: 'fixture', name: 'woken', pattern: 'fixture.thing-happened' });
    await bus.start();
    closers.push(async () => {
      await bus.stop(2000);
      await listener.end({ timeout: 2 });
      await database.close();
    });
    return { bus, heard };
  }

  it('delivers an event committed in another process within a second, with polling at a minute', async () => {
    const seen: string[] = [];
    await startProcess('subscriber', async (event) => void seen.push(event.id));
    const publisher = await startProcess('publisher');
    // A first event, delivered however it is (its first read at start may find it): once it is in,
    // the subscriber is idle, and the next one can reach it only by being woken.
    const first = await publisher.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.thingHappened, { answer: 6 }));
    await waitFor(async () => seen.includes(first), { timeoutMs: 5000, intervalMs: 10, what: 'the first event' });

    const committedAt = Date.now();
    const id = await publisher.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.thingHappened, { answer: 7 }));
    await waitFor(async () => seen.includes(id), { timeoutMs: 5000, intervalMs: 10, what: 'the event in the other process' });
    expect(Date.now() - committedAt).toBeLessThan(1000);
  });

  it('names the publishing process and the types in the notification, and a process skips its own', async () => {
    const seen: string[] = [];
    const subscriber = await startProcess('only-one', async (event) => void seen.push(event.id));
    const id = await subscriber.bus.transaction('fixture', async (_tx, publish) => {
      await publish(FIXTURE_EVENTS.otherHappened, { answer: 1 });
      return publish(FIXTURE_EVENTS.thingHappened, { answer: 2 });
    });
    await waitFor(async () => seen.includes(id), { what: 'the event woken in process' });
    await waitFor(async () => subscriber.heard.length > 0, { what: 'the notification' });
    expect(subscriber.heard).toEqual(['only-one fixture.other-happened fixture.thing-happened']);
    expect(EVENTS_CHANNEL).toBe('shop_events');
  });
});
