import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { createFixtureSchema, FIXTURE_EVENTS, startTestBus, type TestBus } from '../../../test/support/test-bus.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { listDeadLetters, redriveDeadLetters } from './dead-letters.js';
import type { EventHandler } from './event-bus.js';
import type { EventDefinition } from './event-definition.js';

// Every handler here records its effect in the handler's transaction, so "effect once" is a row count.
const recordEffect: EventHandler = async (event, { tx }) => {
  await tx.execute(sql`insert into fixture.effects (event_id, subscription, event_type) values (${event.id}, 'recorded', ${event.type})`);
};

describe('event bus', () => {
  let url: string;
  const running: TestBus[] = [];
  const start = async (...args: Parameters<typeof startTestBus>) => {
    const testBus = await startTestBus(...args);
    running.push(testBus);
    return testBus;
  };
  const effects = (eventId: string) => query<{ event_type: string }>(url, 'select event_type from fixture.effects where event_id = $1', [eventId]);
  const publishOne = async ({ bus }: TestBus, event: EventDefinition = FIXTURE_EVENTS.thingHappened, source = 'fixture') =>
    bus.transaction(source, async (_tx, publish) => {
      await publish(event, { answer: 42 });
    });
  const lastEventId = async (type = 'fixture.thing-happened') => {
    const rows = await query<{ id: string }>(url, `select data->>'id' as id from pgboss.job where data->>'type' = $1 order by created_on desc limit 1`, [type]);
    return rows[0]!.id;
  };

  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((testBus) => testBus.close()));
  });

  it('stores no event when the publishing transaction rolls back', async () => {
    const handled: string[] = [];
    const testBus = await start(url, [{ name: 'rollback-watcher', pattern: 'fixture.thing-happened', handler: async (event) => void handled.push(event.id) }]);

    await expect(
      testBus.bus.transaction('fixture', async (_tx, publish) => {
        await publish(FIXTURE_EVENTS.thingHappened, { answer: 1 });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');

    expect(await testBus.bus.boss.findJobs('fixture.rollback-watcher')).toHaveLength(0);
    expect(handled).toEqual([]);
  });

  it('delivers a committed event to its subscriber once', async () => {
    const testBus = await start(url, [{ name: 'commit-watcher', pattern: 'fixture.thing-happened', handler: recordEffect }]);
    await publishOne(testBus);
    const eventId = await lastEventId();

    const rows = await waitFor(async () => (await effects(eventId)).length > 0 && effects(eventId), { what: 'the handler effect' });
    expect(rows).toHaveLength(1);
  });

  it('refuses to publish an event type that is not the module’s own', async () => {
    const testBus = await start(url, []);
    await expect(publishOne(testBus, FIXTURE_EVENTS.elsewhereHappened, 'fixture')).rejects.toThrow(/cannot publish/);
  });

  it('applies an event once even when it is delivered twice', async () => {
    const testBus = await start(url, [{ name: 'dedupe', pattern: 'fixture.thing-happened', handler: recordEffect }]);
    await publishOne(testBus);
    const eventId = await lastEventId();
    await waitFor(async () => (await effects(eventId)).length > 0, { what: 'first delivery' });

    // A redelivery is the same envelope in a new job (what a retry after a lost ack looks like).
    const [job] = await testBus.bus.boss.findJobs<{ id: string }>('fixture.dedupe', { data: { id: eventId } });
    const copyId = await testBus.bus.boss.send('fixture.dedupe', job!.data);
    await waitFor(async () => (await testBus.bus.boss.findJobs('fixture.dedupe', { id: copyId! }))[0]?.state === 'completed', {
      what: 'the redelivered job to complete',
    });

    expect(await effects(eventId)).toHaveLength(1);
  });

  it('retries a failing handler and applies the event once when it finally succeeds', async () => {
    const attempts: number[] = [];
    const flaky: EventHandler = async (event, context) => {
      attempts.push(attempts.length + 1);
      await recordEffect(event, context); // rolled back with the failure below
      if (attempts.length < 3) throw new Error(`transient failure ${attempts.length}`);
    };
    const testBus = await start(url, [{ name: 'flaky', pattern: 'fixture.thing-happened', handler: flaky }]);
    await publishOne(testBus);
    const eventId = await lastEventId();

    await waitFor(async () => (await effects(eventId)).length > 0, { timeoutMs: 30_000, what: 'the third attempt' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(await effects(eventId)).toHaveLength(1);
  });

  it('applies the other events of a batch when one handler fails, and rolls back only that one', async () => {
    // Published before the subscriber starts, the five events are fetched and applied as one batch.
    const declaring = await start(url, [], {}, [{ module: 'fixture', name: 'batch', pattern: 'fixture.thing-happened' }]);
    await declaring.bus.transaction('fixture', async (_tx, publish) => {
      for (let answer = 1; answer <= 5; answer++) await publish(FIXTURE_EVENTS.thingHappened, { answer });
    });
    await declaring.close();
    running.splice(running.indexOf(declaring), 1);
    const ids = (await query<{ id: string; answer: number }>(url, `select data->>'id' as id, (data->'data'->>'answer')::int as answer from pgboss.job where name = 'fixture.batch' order by 2`)).map(({ id }) => id);
    expect(ids).toHaveLength(5);

    let failedOnce = false;
    const failThird: EventHandler = async (event, context) => {
      await recordEffect(event, context);
      if ((event.data as { answer: number }).answer === 3 && !failedOnce) {
        failedOnce = true;
        throw new Error('the third fails once');
      }
    };
    await start(url, [{ name: 'batch', pattern: 'fixture.thing-happened', handler: failThird }]);
    await waitFor(async () => (await Promise.all(ids.map(effects))).every((rows) => rows.length === 1), { timeoutMs: 30_000, what: 'every effect, the third after its retry' });
    expect(failedOnce).toBe(true);
    // Only the third was retried: the others' effects committed with the batch it failed in.
    const retries = await query<{ retry_count: number }>(url, `select retry_count from pgboss.job where name = 'fixture.batch' order by (data->'data'->>'answer')::int`);
    expect(retries.map((row) => row.retry_count)).toEqual([0, 0, 1, 0, 0]);
    for (const id of ids) expect(await effects(id)).toHaveLength(1);
  });

  it('dead-letters an event whose handler always fails, and handles it once after a redrive', async () => {
    let fixed = false;
    const broken: EventHandler = async (event, context) => {
      if (!fixed) throw new Error('handler bug');
      await recordEffect(event, context);
    };
    const testBus = await start(url, [{ name: 'broken', pattern: 'fixture.thing-happened', handler: broken }], { retryLimit: 1 });
    await publishOne(testBus);
    const eventId = await lastEventId();

    const letters = await waitFor(async () => {
      const found = await listDeadLetters(testBus.bus, 'fixture.broken');
      return found.length > 0 && found;
    }, { timeoutMs: 30_000, what: 'the dead letter' });
    expect(letters).toMatchObject([{ subscription: 'fixture.broken', event: { id: eventId }, attempts: 2, error: 'handler bug' }]);

    fixed = true;
    expect(await redriveDeadLetters(testBus.bus, 'fixture.broken')).toBe(1);
    await waitFor(async () => (await effects(eventId)).length > 0, { what: 'the redriven event' });
    expect(await effects(eventId)).toHaveLength(1);
    expect(await listDeadLetters(testBus.bus, 'fixture.broken')).toEqual([]);
  });

  it('handles an event committed while its subscriber was down once the subscriber is back', async () => {
    const subscription = { name: 'restarts', pattern: 'fixture.thing-happened', handler: recordEffect };
    const first = await start(url, [subscription]);
    await first.close();
    running.splice(running.indexOf(first), 1);

    const publisher = await start(url, []); // a process that hosts no subscriber
    await publishOne(publisher);
    const eventId = await lastEventId();
    expect(await effects(eventId)).toHaveLength(0);

    await start(url, [subscription]);
    await waitFor(async () => (await effects(eventId)).length > 0, { what: 'delivery after restart' });
    expect(await effects(eventId)).toHaveLength(1);
  });

  it('keeps events for a subscriber that has never run, when another process declared its subscription', async () => {
    // What a process that does not host the module does at start: keep its queue, run no handler.
    const declaring = await startTestBus(url, [], {}, [{ module: 'fixture', name: 'never-started', pattern: 'fixture.thing-happened' }]);
    running.push(declaring);
    await publishOne(declaring);
    const eventId = await lastEventId();

    await start(url, [{ name: 'never-started', pattern: 'fixture.thing-happened', handler: recordEffect }]);
    await waitFor(async () => (await effects(eventId)).length > 0, { what: 'delivery to the late subscriber' });
    expect(await effects(eventId)).toHaveLength(1);
  });

  it('delivers every event matching a wildcard subscription, and only those', async () => {
    const seen: string[] = [];
    const testBus = await start(url, [{ name: 'wildcard', pattern: 'fixture.*', handler: async (event) => void seen.push(event.type) }]);

    await publishOne(testBus, FIXTURE_EVENTS.thingHappened);
    await publishOne(testBus, FIXTURE_EVENTS.otherHappened);
    await publishOne(testBus, FIXTURE_EVENTS.elsewhereHappened, 'elsewhere');

    await waitFor(async () => seen.length >= 2, { what: 'both fixture events' });
    // The non-matching event had no queue to land in, so nothing more can arrive.
    expect(await testBus.bus.boss.findJobs('fixture.wildcard')).toHaveLength(2);
    expect(seen.sort()).toEqual(['fixture.other-happened', 'fixture.thing-happened']);
  });

  it('refuses a subscription whose pattern matches no known event', async () => {
    await expect(start(url, [{ name: 'typo', pattern: 'fixture.thing-hapened', handler: recordEffect }])).rejects.toThrow(/matches no known event/);
  });
});
