// Events are checked against their publisher's schema on both sides, and converted to the version
// each subscriber reads. Real Postgres and pg-boss, with fixture events (test/support/test-bus.ts).
import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { createFixtureSchema, FIXTURE_CATALOG, FIXTURE_EVENTS, testBuses, type TestBus } from '../../../test/support/test-bus.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { listDeadLetters, redriveDeadLetters } from './dead-letters.js';
import type { Subscription } from './event-bus.js';
import type { EventDefinition } from './event-definition.js';
import { createEnvelope, type EventEnvelope } from './event-envelope.js';

type FixtureSubscription = Omit<Subscription, 'module' | 'schema'>;

describe('event schemas and versions on the bus', () => {
  let url: string;
  const { start, stop, closeAll } = testBuses();
  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
  });
  afterEach(async () => {
    await closeAll();
  });

  /** A subscription that keeps every envelope it is handed. */
  const recording = (name: string, reads: EventDefinition = FIXTURE_EVENTS.priceSet): FixtureSubscription & { received: EventEnvelope[] } => {
    const received: EventEnvelope[] = [];
    return { name, pattern: reads.type, reads, received, handler: async (event) => void received.push(event) };
  };
  /** Appends an envelope of `version` to the event log directly, as a publisher of another release would. */
  const append = async (version: number, data: unknown) => {
    const envelope = createEnvelope('fixture', FIXTURE_EVENTS.priceSet.type, data, { version });
    await query(url, 'insert into events.log (id, type, envelope, occurred_at) values ($1, $2, $3::jsonb, $4)', [envelope.id, envelope.type, envelope, envelope.occurredAt]);
    return envelope.id;
  };
  const deadLetter = (testBus: TestBus, queue: string, eventId: string) =>
    waitFor(async () => (await listDeadLetters(testBus.bus, queue)).find((letter) => letter.event.id === eventId), { what: `dead letter ${eventId}` });

  it('refuses to publish data its own schema rejects, inside the transaction, so the change rolls back', async () => {
    const testBus = await start(url, []);
    await query(url, 'create table if not exists fixture.changes (id int)');
    await expect(
      testBus.bus.transaction('fixture', async (tx, publish) => {
        await tx.execute(sql`insert into fixture.changes values (1)`);
        await publish(FIXTURE_EVENTS.priceSet, { price: { cents: 0, currency: 'USD' } });
      }),
    ).rejects.toThrow('fixture.price-set v2: data/price/cents must be >= 1');
    expect(await query(url, 'select * from fixture.changes')).toEqual([]);
  });

  it('refuses to publish an older version of an event', async () => {
    const testBus = await start(url, []);
    await expect(
      testBus.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.priceSetV1, { priceCents: 100, currency: 'USD' })),
    ).rejects.toThrow(/not the newest version/);
  });

  it('gives each subscriber the version it reads, from one published event', async () => {
    const readsV1 = recording('reads-v1', FIXTURE_EVENTS.priceSetV1);
    const readsV2 = recording('reads-v2', FIXTURE_EVENTS.priceSet);
    const testBus = await start(url, [readsV1, readsV2]);
    await testBus.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.priceSet, { price: { cents: 250, currency: 'EUR' } }));

    await waitFor(async () => readsV1.received.length > 0 && readsV2.received.length > 0, { what: 'both deliveries' });
    expect(readsV1.received[0]).toMatchObject({ version: 1, data: { priceCents: 250, currency: 'EUR' } });
    expect(readsV2.received[0]).toMatchObject({ version: 2, data: { price: { cents: 250, currency: 'EUR' } } });
  });

  it('delivers a v1 event in the log to a subscriber that reads v2', async () => {
    const readsV2 = recording('reads-v2-late');
    await start(url, [readsV2]);
    const eventId = await append(1, { priceCents: 99, currency: 'USD' });

    await waitFor(async () => readsV2.received.some((event) => event.id === eventId), { what: 'the v1 event' });
    expect(readsV2.received).toMatchObject([{ id: eventId, version: 2, data: { price: { cents: 99, currency: 'USD' } } }]);
  });

  it('delivers a v1 event left in the subscription’s queue by a release before the event log, converted to v2', async () => {
    const readsV2 = recording('reads-v2-leftover');
    const testBus = await start(url, [readsV2]);
    // Before the event log, every delivery was a job in the queue named as the subscription.
    const envelope = createEnvelope('fixture', FIXTURE_EVENTS.priceSet.type, { priceCents: 77, currency: 'GBP' }, { version: 1 });
    await testBus.bus.boss.send('fixture.reads-v2-leftover', envelope, { id: envelope.id });

    await waitFor(async () => readsV2.received.some((event) => event.id === envelope.id), { what: 'the left-over v1 event' });
    expect(readsV2.received).toMatchObject([{ id: envelope.id, version: 2, data: { price: { cents: 77, currency: 'GBP' } } }]);
  });

  it('dead-letters at once, with the schema error as the reason, an event that does not fit the version it was published as', async () => {
    const readsV2 = recording('misfits');
    const testBus = await start(url, [readsV2]);
    const eventId = await append(2, { price: { cents: 'ten', currency: 'USD' } });

    const letter = await deadLetter(testBus, 'fixture.misfits', eventId);
    expect(letter).toMatchObject({ attempts: 1, error: 'fixture.price-set v2: data/price/cents must be integer' });
    expect(readsV2.received).toEqual([]);
    // The subscription read past it: the next event is delivered.
    const next = await testBus.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.priceSet, { price: { cents: 10, currency: 'USD' } }));
    await waitFor(async () => readsV2.received.some((event) => event.id === next), { what: 'the event after the misfit' });
    expect(readsV2.received.map((event) => event.id)).toEqual([next]);
  });

  it('dead-letters a version the subscriber does not know yet, and delivers it once redriven by a process that does', async () => {
    const queue = 'fixture.ahead';
    const older = await start(url, [recording('ahead')]);
    const eventId = await append(3, { amount: { cents: 120, currency: 'USD' } });
    expect((await deadLetter(older, queue, eventId)).error).toBe('fixture.price-set v3: no such version (the newest is v2)');
    await stop(older);

    // The next release of the publisher's published language adds v3; the subscriber still reads v2.
    const priceSetV3 = FIXTURE_EVENTS.priceSet.evolve(Type.Object({ amount: Type.Object({ cents: Type.Integer(), currency: Type.String() }) }), {
      up: ({ price }) => ({ amount: price }),
      down: ({ amount }) => ({ price: amount }),
    });
    const readsV2 = recording('ahead');
    const upgraded = await start(url, [readsV2], {}, [], [...FIXTURE_CATALOG.filter((event) => event.type !== priceSetV3.type), priceSetV3]);
    expect(await redriveDeadLetters(upgraded.bus, queue)).toBe(1);

    await waitFor(async () => readsV2.received.some((event) => event.id === eventId), { what: 'the redriven event' });
    expect(readsV2.received[0]).toMatchObject({ version: 2, data: { price: { cents: 120, currency: 'USD' } } });
  });
});
