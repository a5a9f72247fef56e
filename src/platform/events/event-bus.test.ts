import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { createFixtureSchema, FIXTURE_EVENTS, testBuses, type TestBus } from '../../../test/support/test-bus.js';
import { dealtWith } from '../../../test/support/deliveries.js';
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
  const { start, stop, closeAll } = testBuses();
  const effects = (eventId: string) => query<{ event_type: string }>(url, 'select event_type from fixture.effects where event_id = $1', [eventId]);
  const inbox = (subscription: string, eventId: string) => query(url, 'select 1 from fixture.inbox where subscription = $1 and event_id = $2', [subscription, eventId]);
  const logged = (eventId: string) => query(url, 'select 1 from events.log where id = $1', [eventId]);
  /** Publishes one event in a transaction of its own; resolves to its id. */
  const publishOne = ({ bus }: TestBus, event: EventDefinition = FIXTURE_EVENTS.thingHappened, source = 'fixture') =>
    bus.transaction(source, (_tx, publish) => publish(event, { answer: 42 }));
  const isDealtWith = (subscription: string, eventId: string) =>
    waitFor(() => dealtWith(url, subscription, eventId), { timeoutMs: 30_000, what: `${subscription} to deal with ${eventId}` });

  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
  });

  afterEach(async () => {
    await closeAll();
  });

  it('stores no event when the publishing transaction rolls back', async () => {
    const handled: string[] = [];
    const testBus = await start(url, [{ name: 'rollback-watcher', pattern: 'fixture.thing-happened', handler: async (event) => void handled.push(event.id) }]);

    let rolledBack = '';
    await expect(
      testBus.bus.transaction('fixture', async (_tx, publish) => {
        rolledBack = await publish(FIXTURE_EVENTS.thingHappened, { answer: 1 });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await logged(rolledBack)).toEqual([]);

    // An event committed after it is delivered, and the subscription has read past where the rolled-back one would be.
    const committed = await publishOne(testBus);
    await isDealtWith('fixture.rollback-watcher', committed);
    expect(handled).toEqual([committed]);
  });

  it('delivers a committed event to its subscriber once', async () => {
    const testBus = await start(url, [{ name: 'commit-watcher', pattern: 'fixture.thing-happened', handler: recordEffect }]);
    const eventId = await publishOne(testBus);
    expect(await logged(eventId)).toHaveLength(1);

    await isDealtWith('fixture.commit-watcher', eventId);
    expect(await effects(eventId)).toHaveLength(1);
    // Applied in its batch, with the checkpoint: no inbox row and no job on the normal path.
    expect(await inbox('fixture.commit-watcher', eventId)).toEqual([]);
    expect(await testBus.bus.boss.findJobs('fixture.commit-watcher')).toEqual([]);
  });

  it('refuses to publish an event type that is not the module’s own', async () => {
    const testBus = await start(url, []);
    await expect(publishOne(testBus, FIXTURE_EVENTS.elsewhereHappened, 'fixture')).rejects.toThrow(/cannot publish/);
  });

  it('applies a parked event once even when pg-boss delivers it again after its transaction committed', async () => {
    let failedOnce = false;
    const failsOnce: EventHandler = async (event, context) => {
      await recordEffect(event, context);
      if (!failedOnce) {
        failedOnce = true;
        throw new Error('the batch attempt fails');
      }
    };
    const testBus = await start(url, [{ name: 'dedupe', pattern: 'fixture.thing-happened', handler: failsOnce }]);
    const eventId = await publishOne(testBus);
    // Parked after its batch failed, then applied by the park queue's worker, which claims it in the inbox.
    await waitFor(async () => (await effects(eventId)).length > 0, { timeoutMs: 30_000, what: 'the parked event applied' });
    const [job] = await testBus.bus.boss.findJobs<{ id: string }>('fixture.dedupe', { id: eventId });
    expect(job).toMatchObject({ data: { id: eventId } });
    await waitFor(async () => (await inbox('fixture.dedupe', eventId)).length === 1, { what: 'the inbox claim' });

    // A redelivery is the same envelope in a new job (what a retry after a lost ack looks like).
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
    const eventId = await publishOne(testBus);

    // The first attempt is its batch's; it is then parked, and pg-boss retries it.
    await waitFor(async () => (await effects(eventId)).length > 0, { timeoutMs: 30_000, what: 'the third attempt' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(await effects(eventId)).toHaveLength(1);
    await isDealtWith('fixture.flaky', eventId);
  });

  it('applies the other events of a batch when one handler fails, and rolls back only that one', async () => {
    // Published before the subscriber starts, the five events are fetched and applied as one batch.
    const declaring = await start(url, [], {}, [{ module: 'fixture', name: 'batch', pattern: 'fixture.thing-happened' }]);
    const ids = await declaring.bus.transaction('fixture', async (_tx, publish) => {
      const published: string[] = [];
      for (let answer = 1; answer <= 5; answer++) published.push(await publish(FIXTURE_EVENTS.thingHappened, { answer }));
      return published;
    });
    await stop(declaring);
    expect(ids).toHaveLength(5);

    let failedOnce = false;
    const failThird: EventHandler = async (event, context) => {
      await recordEffect(event, context);
      if ((event.data as { answer: number }).answer === 3 && !failedOnce) {
        failedOnce = true;
        throw new Error('the third fails once');
      }
    };
    const testBus = await start(url, [{ name: 'batch', pattern: 'fixture.thing-happened', handler: failThird }]);
    await waitFor(async () => (await Promise.all(ids.map(effects))).every((rows) => rows.length === 1), { timeoutMs: 30_000, what: 'every effect, the third after its retry' });
    expect(failedOnce).toBe(true);
    // Only the third was parked (and applied on its first run there): the others' effects
    // committed with the batch run again without it, and no inbox row was needed for them.
    const parked = await testBus.bus.boss.findJobs('fixture.batch');
    expect(parked.map((job) => ({ id: job.id, state: job.state, retryCount: job.retryCount }))).toEqual([{ id: ids[2], state: 'completed', retryCount: 0 }]);
    for (const id of ids) expect(await effects(id)).toHaveLength(1);
    expect(await query(url, `select event_id from fixture.inbox where subscription = 'fixture.batch'`)).toEqual([{ event_id: ids[2] }]);
  });

  it('dead-letters an event whose handler always fails, and handles it once after a redrive', async () => {
    let fixed = false;
    const broken: EventHandler = async (event, context) => {
      if (!fixed) throw new Error('handler bug');
      await recordEffect(event, context);
    };
    const testBus = await start(url, [{ name: 'broken', pattern: 'fixture.thing-happened', handler: broken }], { retryLimit: 1 });
    const eventId = await publishOne(testBus);

    const letters = await waitFor(async () => {
      const found = await listDeadLetters(testBus.bus, 'fixture.broken');
      return found.length > 0 && found;
    }, { timeoutMs: 30_000, what: 'the dead letter' });
    // Its batch's attempt, then EVENTS_RETRY_LIMIT (1) in the park queue.
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
    await stop(first);

    const publisher = await start(url, []); // a process that hosts no subscriber
    const eventId = await publishOne(publisher);
    expect(await effects(eventId)).toHaveLength(0);
    expect(await dealtWith(url, 'fixture.restarts', eventId)).toBe(false);

    await start(url, [subscription]);
    await isDealtWith('fixture.restarts', eventId);
    expect(await effects(eventId)).toHaveLength(1);
  });

  it('keeps events for a subscriber that has never run, when another process declared its subscription', async () => {
    // What a process that does not host the module does at start: keep its checkpoint, run no handler.
    const declaring = await start(url, [], {}, [{ module: 'fixture', name: 'never-started', pattern: 'fixture.thing-happened' }]);
    const eventId = await publishOne(declaring);

    await start(url, [{ name: 'never-started', pattern: 'fixture.thing-happened', handler: recordEffect }]);
    await isDealtWith('fixture.never-started', eventId);
    expect(await effects(eventId)).toHaveLength(1);
  });

  it('delivers every event matching a wildcard subscription, and only those', async () => {
    const seen: string[] = [];
    const testBus = await start(url, [{ name: 'wildcard', pattern: 'fixture.*', handler: async (event) => void seen.push(event.type) }]);

    await publishOne(testBus, FIXTURE_EVENTS.thingHappened);
    await publishOne(testBus, FIXTURE_EVENTS.elsewhereHappened, 'elsewhere');
    const last = await publishOne(testBus, FIXTURE_EVENTS.otherHappened);

    // The subscription reads in log order: once it has dealt with the last event, it has read past
    // the non-matching one, which it never reads (its types are the pattern over the catalog).
    await isDealtWith('fixture.wildcard', last);
    expect(seen).toEqual(['fixture.thing-happened', 'fixture.other-happened']);
    const [checkpoint] = await query<{ types: string[] }>(url, `select types from events.subscriptions where name = 'fixture.wildcard'`);
    expect(checkpoint!.types.sort()).toEqual(['fixture.other-happened', 'fixture.price-set', 'fixture.thing-happened']);
  });

  it('refuses a subscription whose pattern matches no known event', async () => {
    await expect(start(url, [{ name: 'typo', pattern: 'fixture.thing-hapened', handler: recordEffect }])).rejects.toThrow(/matches no known event/);
  });
});
