// The event log as its subscriptions read it, with real Postgres and real pg-boss (test-bus.ts):
// in commit order (a transaction that appended first but commits last is neither skipped nor
// overtaken), once and in log order with two processes hosting one subscription, parking a failing
// event without holding up the ones after it, running again a batch that lost a deadlock, where a
// new subscription starts, what pruning keeps, and one append statement per transaction.
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dealtWith } from '../../../test/support/deliveries.js';
import { createFixtureSchema, FIXTURE_EVENTS, testBuses, type TestBus } from '../../../test/support/test-bus.js';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { connectDatabase } from '../db/database.js';
import { listDeadLetters, redriveDeadLetters } from './dead-letters.js';
import type { EventHandler } from './event-bus.js';
import { createEnvelope } from './event-envelope.js';
import { appendEvents, postgresEventSource, pruneEventLog } from './event-log.js';

const { thingHappened, otherHappened, elsewhereHappened, priceSet } = FIXTURE_EVENTS;
type AnswerEvent = typeof thingHappened | typeof otherHappened | typeof elsewhereHappened;

interface Read {
  subscription: string;
  /** performance.now() when the batch was asked for: after its transaction began. */
  startedAt: number;
  events: number;
}

/** Every batch the buses of this process read (the bus reads through postgresEventSource). */
function recordReads(): Read[] {
  const reads: Read[] = [];
  const claimBatch = postgresEventSource.claimBatch.bind(postgresEventSource);
  vi.spyOn(postgresEventSource, 'claimBatch').mockImplementation(async (tx, subscription, types, limit) => {
    const startedAt = performance.now();
    const batch = await claimBatch(tx, subscription, types, limit);
    reads.push({ subscription, startedAt, events: batch.length });
    return batch;
  });
  return reads;
}

describe('the event log', () => {
  let url: string;
  const { start, stop, closeAll } = testBuses();

  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
    // What handlers here apply, in the order they applied it: a row commits only with its batch.
    await query(url, 'create table fixture.applied (seq bigserial primary key, subscription text not null, event_id uuid not null, process text)');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await closeAll();
  });

  /** A handler that records what it applies, in its transaction, as `subscription`. */
  const applying =
    (subscription: string, process = ''): EventHandler =>
    async (event, { tx }) => {
      await tx.execute(sql`insert into fixture.applied (subscription, event_id, process) values (${subscription}, ${event.id}, ${process})`);
    };
  /** What `subscription` has applied (committed), in the order it did. */
  const applied = async (subscription: string) =>
    (await query<{ event_id: string }>(url, 'select event_id from fixture.applied where subscription = $1 order by seq', [subscription])).map((row) => row.event_id);
  /** The ids in log order: (transaction id, position). */
  const inLogOrder = async (ids: readonly string[]) =>
    (await query<{ id: string }>(url, 'select id from events.log where id = any($1::uuid[]) order by transaction_id, position', [ids])).map((row) => row.id);
  const logRows = (ids: readonly string[]) =>
    query<{ id: string; position: string; transaction_id: string }>(url, 'select id, position::text, transaction_id::text from events.log where id = any($1::uuid[]) order by position', [ids]);
  const publishOne = ({ bus }: TestBus, answer: number, event: AnswerEvent = thingHappened) =>
    bus.transaction('fixture', (_tx, publish) => publish(event, { answer }));
  const untilDealtWith = (subscription: string, eventId: string, timeoutMs = 30_000) =>
    waitFor(() => dealtWith(url, subscription, eventId), { timeoutMs, what: `${subscription} to deal with ${eventId}` });

  it('delivers the event of a transaction that appended first and committed last, reading nothing past it while it is open', async () => {
    const reads = recordReads();
    const subscriptions = ['fixture.commit-order-one', 'fixture.commit-order-two'];
    const testBus = await start(
      url,
      subscriptions.map((name) => ({ name: name.replace('fixture.', ''), pattern: thingHappened.type, handler: applying(name) })),
    );
    // Committed before the long transaction begins, and applied.
    const before = await publishOne(testBus, 0);
    for (const subscription of subscriptions) {
      await waitFor(async () => (await applied(subscription)).includes(before), { what: `${subscription} to apply the event before the long transaction` });
    }

    // The long transaction appends its first event at once (the earliest position after `before`,
    // and the oldest transaction id in flight), publishes a second one at its end, and commits
    // only after the short ones.
    const appendedFirst = createEnvelope('fixture', thingHappened.type, { answer: 1 }, { version: thingHappened.version });
    let appended!: (at: { transaction_id: string; position: string }) => void;
    const hasAppended = new Promise<{ transaction_id: string; position: string }>((resolve) => (appended = resolve));
    let commit!: () => void;
    const mayCommit = new Promise<void>((resolve) => (commit = resolve));
    const long = testBus.bus.transaction('fixture', async (tx, publish) => {
      await appendEvents(tx, [appendedFirst]);
      // Where it stands in the log, which no other session can see before it commits.
      const [at] = await tx.execute<{ transaction_id: string; position: string }>(
        sql`select transaction_id::text, position::text from events.log where id = ${appendedFirst.id}`,
      );
      appended(at!);
      await mayCommit;
      return publish(thingHappened, { answer: 2 });
    });
    const longAt = await hasAppended;
    const shorts: string[] = [];
    for (let answer = 3; answer <= 5; answer++) shorts.push(await publishOne(testBus, answer));
    const shortsCommittedAt = performance.now();

    try {
      for (const subscription of subscriptions) {
        // Woken by the short commits, it read after all of them and found nothing it may read.
        await waitFor(async () => reads.some((read) => read.subscription === subscription && read.startedAt > shortsCommittedAt && read.events === 0), {
          what: `${subscription} to read after the short transactions committed`,
        });
        expect(await applied(subscription)).toEqual([before]);
        const [checkpoint] = await query<{ behind: boolean }>(
          url,
          'select (transaction_id, position) < ($2::xid8, $3::bigint) as behind from events.subscriptions where name = $1',
          [subscription, longAt.transaction_id, longAt.position],
        );
        expect(checkpoint!.behind).toBe(true);
      }
    } finally {
      commit();
    }
    const publishedLast = await long;

    const rows = new Map((await logRows([appendedFirst.id, publishedLast, ...shorts])).map((row) => [row.id, Number(row.position)]));
    // The long transaction's events surround the short ones in position, and come first in log order.
    expect(shorts.every((id) => rows.get(appendedFirst.id)! < rows.get(id)! && rows.get(id)! < rows.get(publishedLast)!)).toBe(true);
    const expected = [before, appendedFirst.id, publishedLast, ...shorts];
    expect(await inLogOrder(expected)).toEqual(expected);
    for (const subscription of subscriptions) {
      await untilDealtWith(subscription, shorts.at(-1)!);
      expect(await applied(subscription)).toEqual(expected);
    }
  });

  it('applies every event once, in log order, when two processes host the same subscription', async () => {
    const reads = recordReads();
    const subscription = 'fixture.shared';
    const calls = { one: 0, two: 0 };
    const held = { by: null as keyof typeof calls | null, at: 0 };
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The first event either process handles holds its batch (and the checkpoint row) open.
    const handlerOf =
      (process: keyof typeof calls): EventHandler =>
      async (event, context) => {
        calls[process] += 1;
        await applying(subscription, process)(event, context);
        if (held.by === null) {
          held.by = process;
          held.at = performance.now();
          await released;
        }
      };
    const processes = {
      one: await start(url, [{ name: 'shared', pattern: otherHappened.type, handler: handlerOf('one') }]),
      two: await start(url, [{ name: 'shared', pattern: otherHappened.type, handler: handlerOf('two') }]),
    };
    const publishFive = (testBus: TestBus, first: number) =>
      testBus.bus.transaction('fixture', async (_tx, publish) => {
        const ids: string[] = [];
        for (let answer = first; answer < first + 5; answer++) ids.push(await publish(otherHappened, { answer }));
        return ids;
      });
    const ids = await publishFive(processes.one, 0);

    try {
      const holder = await waitFor(async () => held.by, { what: 'a batch to be held' });
      const other = holder === 'one' ? 'two' : 'one';
      // Meanwhile the other process reads the subscription and gets nothing: its checkpoint row is
      // taken. (The holder's reader waits for its batch; it asks for no other meanwhile.)
      await waitFor(async () => reads.filter((read) => read.subscription === subscription && read.startedAt > held.at && read.events === 0).length >= 2, {
        what: `the other process to find ${subscription} taken`,
      });
      expect(calls[other]).toBe(0);
      expect(await applied(subscription)).toEqual([]);
    } finally {
      release();
    }

    // Thirty more transactions of five, three at a time, from either process.
    for (let round = 1; round <= 10; round++) {
      const published = await Promise.all([0, 1, 2].map((index) => publishFive(index % 2 === 0 ? processes.one : processes.two, (round * 3 + index) * 5)));
      ids.push(...published.flat());
    }
    const logOrder = await inLogOrder(ids);
    expect(logOrder).toHaveLength(155);
    await untilDealtWith(subscription, logOrder.at(-1)!, 60_000);

    // Effects commit with the checkpoint: once it has passed the last event, none can come again.
    expect(await applied(subscription)).toEqual(logOrder);
  }, 120_000);

  it('parks an event whose handler keeps failing and applies the ones after it at once; it is dead-lettered with its reason, and applied once after a fix and a redrive', async () => {
    const subscription = 'fixture.park-and-advance';
    let fixed = false;
    let failingRuns = 0;
    const handler: EventHandler = async (event, context) => {
      if ((event.data as { answer: number }).answer < 0 && !fixed) {
        failingRuns += 1;
        throw new Error('handler bug');
      }
      await applying(subscription)(event, context);
    };
    // Its batch's attempt, then 1 + (4 - 1) runs parked, backing off from 2 s: some ten seconds in all.
    const testBus = await start(url, [{ name: 'park-and-advance', pattern: thingHappened.type, handler }], { retryLimit: 4, retryDelaySeconds: 2, retryDelayMaxSeconds: 4 });
    const failing = await publishOne(testBus, -1);
    const after: string[] = [];
    for (let answer = 1; answer <= 5; answer++) after.push(await publishOne(testBus, answer));

    // (A subscription deployed `now` may also get events of transactions that were in flight then: only these count.)
    const appliedHere = async () => (await applied(subscription)).filter((id) => id === failing || after.includes(id));
    await waitFor(async () => (await appliedHere()).length === after.length, { what: 'the events after the failing one' });
    // Applied while the failing one still waits for its retries in the park queue.
    const [parked] = await testBus.bus.boss.findJobs(subscription, { id: failing });
    expect(['created', 'retry', 'active']).toContain(parked?.state);
    expect(failingRuns).toBeLessThan(5);
    expect(await listDeadLetters(testBus.bus, subscription)).toEqual([]);
    expect(await appliedHere()).toEqual(await inLogOrder(after));
    expect(await dealtWith(url, subscription, after.at(-1)!)).toBe(true);
    expect(await dealtWith(url, subscription, failing)).toBe(false);

    const [letter] = await waitFor(async () => {
      const letters = await listDeadLetters(testBus.bus, subscription);
      return letters.length > 0 && letters;
    }, { timeoutMs: 60_000, what: 'the dead letter' });
    expect(letter).toMatchObject({ subscription, event: { id: failing }, attempts: 5, error: 'handler bug' });
    expect(failingRuns).toBe(5);

    fixed = true;
    expect(await redriveDeadLetters(testBus.bus, subscription)).toBe(1);
    await waitFor(async () => (await appliedHere()).includes(failing), { what: 'the redriven event' });
    expect((await appliedHere()).filter((id) => id === failing)).toHaveLength(1);
    // A parked event is applied through the inbox; the others never were.
    expect(await query(url, 'select event_id from fixture.inbox where subscription = $1', [subscription])).toEqual([{ event_id: failing }]);
    expect(await listDeadLetters(testBus.bus, subscription)).toEqual([]);
    await untilDealtWith(subscription, failing);
  }, 120_000);

  it('runs a batch that lost a race (a deadlock) again instead of parking its event, and applies it once', async () => {
    const subscription = 'fixture.deadlocked-once';
    let racesLost = 0;
    const handler: EventHandler = async (event, context) => {
      if (racesLost < 2) {
        racesLost += 1;
        // What PostgreSQL says to the transaction it picks to end a deadlock, raised by PostgreSQL itself.
        await context.tx.execute(sql.raw("do $$ begin raise exception 'deadlock detected' using errcode = '40P01'; end $$"));
      }
      await applying(subscription)(event, context);
    };
    const testBus = await start(url, [{ name: 'deadlocked-once', pattern: thingHappened.type, handler }]);
    const eventId = await publishOne(testBus, 7);
    await untilDealtWith(subscription, eventId);
    expect(racesLost).toBe(2);
    expect((await applied(subscription)).filter((id) => id === eventId)).toHaveLength(1);
    expect(await testBus.bus.boss.findJobs(subscription, { id: eventId })).toEqual([]);
  });

  it('starts a subscription deployed for the first time at the beginning of the log, or now', async () => {
    const publishPrice = (testBus: TestBus, cents: number) => testBus.bus.transaction('fixture', (_tx, publish) => publish(priceSet, { price: { cents, currency: 'EUR' } }));
    const seen = { beginning: [] as string[], now: [] as string[] };
    const fromBeginning = { name: 'from-beginning', pattern: priceSet.type, from: 'beginning' as const, handler: async (event: { id: string }) => void seen.beginning.push(event.id) };
    const fromNow = { name: 'from-now', pattern: priceSet.type, handler: async (event: { id: string }) => void seen.now.push(event.id) };

    const publisher = await start(url, []);
    const earlier = [await publishPrice(publisher, 100), await publishPrice(publisher, 200)];
    // `now` is after every transaction finished before the oldest one still in flight (on the
    // whole server): wait until that includes the earlier events' transactions.
    await waitFor(
      async () =>
        (await query<{ finished: boolean }>(url, 'select max(transaction_id) < pg_snapshot_xmin(pg_current_snapshot()) as finished from events.log where id = any($1::uuid[])', [earlier]))[0]!.finished,
      { what: 'the earlier transactions to be older than any in flight' },
    );
    const subscriber = await start(url, [fromBeginning, fromNow]);
    const later = await publishPrice(publisher, 300);
    await untilDealtWith('fixture.from-beginning', later);
    await untilDealtWith('fixture.from-now', later);

    // Every event of its type the log holds (only this test publishes price-set here), in log order.
    const [{ count }] = (await query<{ count: number }>(url, `select count(*)::int as count from events.log where type = $1`, [priceSet.type])) as [{ count: number }];
    expect(count).toBe(3);
    expect(seen.beginning).toEqual(await inLogOrder([...earlier, later]));
    expect(seen.now).toEqual([later]);

    // Only the first deployment starts at the beginning: deployed again, it keeps its checkpoint.
    await stop(subscriber);
    await start(url, [fromBeginning]);
    const last = await publishPrice(publisher, 400);
    await untilDealtWith('fixture.from-beginning', last);
    expect(seen.beginning).toEqual(await inLogOrder([...earlier, later, last]));
  });

  it('prunes old events every subscription of their type has read past, and keeps those a lagging subscription has not read', async () => {
    // A database of its own: checkpoints the other tests left behind would keep their events.
    const pruneUrl = await createTestDatabase();
    await createFixtureSchema(pruneUrl);
    const noop: EventHandler = async () => {};
    const readers = await start(pruneUrl, [
      { name: 'reads-things', pattern: thingHappened.type, handler: noop },
      { name: 'reads-others', pattern: otherHappened.type, handler: noop },
    ], {}, [{ module: 'fixture', name: 'lagging', pattern: otherHappened.type }]); // declared: nobody reads it here
    const publishTwo = (event: AnswerEvent, source = 'fixture') =>
      readers.bus.transaction(source, async (_tx, publish) => [await publish(event, { answer: 1 }), await publish(event, { answer: 2 })]);

    const oldThings = await publishTwo(thingHappened);
    const oldOthers = await publishTwo(otherHappened);
    const oldElsewhere = await publishTwo(elsewhereHappened, 'elsewhere'); // a type no subscription reads
    const cutoff = new Date();
    await waitFor(async () => Date.now() > cutoff.getTime() + 1, { what: 'the clock to pass the cut-off' });
    const recentThing = await readers.bus.transaction('fixture', (_tx, publish) => publish(thingHappened, { answer: 3 }));
    await waitFor(async () => (await dealtWith(pruneUrl, 'fixture.reads-things', recentThing)) && dealtWith(pruneUrl, 'fixture.reads-others', oldOthers[1]!), {
      what: 'both readers to read everything',
    });

    const remaining = async () => (await query<{ id: string }>(pruneUrl, 'select id from events.log order by position')).map((row) => row.id);
    const database = connectDatabase(pruneUrl, { max: 1 });
    try {
      // One row a batch: the batches go on until one comes back short.
      expect(await pruneEventLog(database.db, cutoff, 1)).toBe(4);
      // Kept: the others, which the lagging subscription has not read, and the recent thing.
      expect(await remaining()).toEqual([...oldOthers, recentThing]);

      // The lagging subscription's process comes up and reads what was kept for it.
      const lagging: string[] = [];
      await start(pruneUrl, [{ name: 'lagging', pattern: otherHappened.type, handler: async (event) => void lagging.push(event.id) }]);
      await waitFor(() => dealtWith(pruneUrl, 'fixture.lagging', oldOthers[1]!), { what: 'the lagging subscription to catch up' });
      expect(lagging).toEqual(oldOthers);
      expect(await pruneEventLog(database.db, cutoff, 1000)).toBe(2);
      expect(await remaining()).toEqual([recentThing]);
      expect(oldElsewhere).toHaveLength(2);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('appends a transaction’s events, and a batch’s, in one statement: one transaction id, consecutive positions', async () => {
    // Counts the appending statements of each transaction, as the log's own notify trigger fires.
    await query(
      url,
      `create table fixture.append_statements (transaction_id xid8 not null, events int not null);
       create function fixture.count_append() returns trigger language plpgsql as $$
       begin
         insert into fixture.append_statements select pg_current_xact_id(), count(*) from appended;
         return null;
       end $$;
       create trigger count_append after insert on events.log referencing new table as appended for each statement execute function fixture.count_append();`,
    );
    const statementsOf = async (transactionId: string) =>
      (await query<{ events: number }>(url, 'select events from fixture.append_statements where transaction_id = $1::xid8', [transactionId])).map((row) => row.events);
    /** Rows of one transaction's events: in the order published, at consecutive positions. */
    const expectOneAppend = async (ids: readonly string[]) => {
      const rows = await logRows(ids);
      expect(rows.map((row) => row.id)).toEqual(ids);
      expect(rows.map((row) => Number(row.position) - Number(rows[0]!.position))).toEqual(ids.map((_id, index) => index));
      expect(new Set(rows.map((row) => row.transaction_id)).size).toBe(1);
      expect(await statementsOf(rows[0]!.transaction_id)).toEqual([ids.length]);
      return rows[0]!.transaction_id;
    };

    try {
      // A relay: each event it reads makes it publish one, from its batch's transaction.
      const relayed: string[] = [];
      const testBus = await start(url, [
        {
          name: 'relay',
          pattern: otherHappened.type,
          handler: async (event, { publish }) => {
            // Only this test's events (answers over 1000): a subscription deployed `now` may get earlier ones.
            const { answer } = event.data as { answer: number };
            if (answer > 1000) relayed.push(await publish(thingHappened, { answer: answer * 10 }));
          },
        },
      ]);
      const published = await testBus.bus.transaction('fixture', async (_tx, publish) => [
        await publish(otherHappened, { answer: 1001 }),
        await publish(thingHappened, { answer: 1002 }),
        await publish(otherHappened, { answer: 1003 }),
      ]);
      const publishing = await expectOneAppend(published);

      // The two other-happened events commit together, so one batch reads them both.
      await untilDealtWith('fixture.relay', published[2]!);
      expect(relayed).toHaveLength(2);
      const relaying = await expectOneAppend(relayed);
      expect(relaying).not.toBe(publishing);
    } finally {
      await query(url, 'drop trigger count_append on events.log; drop function fixture.count_append(); drop table fixture.append_statements');
    }
  });
});
