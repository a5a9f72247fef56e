// A subscriber process killed in the middle of a batch: its session ends, so its batch rolls back
// and the subscription's checkpoint row is unlocked; another process applies the batch again.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTypeScript, type Child } from '../../../test/support/child-process.js';
import { dealtWith } from '../../../test/support/deliveries.js';
import { createFixtureSchema, FIXTURE_EVENTS, startTestBus, type TestBus } from '../../../test/support/test-bus.js';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';

describe('crash recovery', () => {
  let url: string;
  let child: Child | null = null;
  const buses: TestBus[] = [];

  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
  });

  afterAll(async () => {
    child?.kill();
    await Promise.all(buses.map((bus) => bus.close()));
  });

  it('hands an event whose worker was killed mid-handling to a restarted process within seconds', async () => {
    child = runTypeScript('test/fixtures/hanging-subscriber.ts', [], { DATABASE_URL: url });
    await child.waitForOutput(/^ready$/m);

    const publisher = await startTestBus(url, []);
    buses.push(publisher);
    await publisher.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.thingHappened, { answer: 42 }));
    const [, eventId] = await child.waitForOutput(/^handling (\S+)$/m);

    child.kill('SIGKILL');
    await child.exited;
    const killedAt = Date.now();

    const restarted = await startTestBus(url, [
      {
        name: 'crash-recovery',
        pattern: 'fixture.thing-happened',
        handler: async (event, { tx }) => {
          await tx.execute(sql`insert into fixture.effects (event_id, subscription, event_type) values (${event.id}, 'crash-recovery', ${event.type})`);
        },
      },
    ]);
    buses.push(restarted);
    const effects = () => query(url, 'select 1 from fixture.effects where event_id = $1', [eventId]);
    // The restarted process reads the subscription at start; the dead session's lock is gone with it.
    await waitFor(async () => (await effects()).length > 0, { timeoutMs: 30_000, intervalMs: 100, what: 'the event to be handled again' });
    const recoveredInMs = Date.now() - killedAt;

    expect(await effects()).toHaveLength(1);
    expect(await dealtWith(url, 'fixture.crash-recovery', eventId!)).toBe(true);
    // Read again from the log in a batch: never parked, so no job and no inbox row for it.
    expect(await restarted.bus.boss.findJobs('fixture.crash-recovery')).toEqual([]);
    expect(await query(url, `select 1 from fixture.inbox where event_id = $1`, [eventId])).toEqual([]);
    expect(recoveredInMs).toBeLessThan(30_000);
    console.info(`crash recovery: handled ${recoveredInMs} ms after SIGKILL`);
  });
});
