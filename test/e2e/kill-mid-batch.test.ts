// kill -9 in the middle of a batch: a real process hosts a subscription whose handler records an
// effect row per event inside the batch's transaction, and is killed half-way through its second
// batch (it says so through a side channel, a connection of its own, and waits there between two
// events). A second process hosting the same subscription then reads on from the checkpoint.
//
// Expected, and asserted:
// - while the batch is in flight its effects are not visible, though the process applied them;
// - the kill leaves the first batch committed and nothing of the second: its transaction aborted,
//   the checkpoint is at the first batch's last event, and the effects are exactly the first
//   batch's (the batch was not partially committed);
// - the killed process's hold on the subscription ends with its session: the second process takes
//   it, applies the interrupted batch again and the rest, and never the first batch again;
// - every event has its effect exactly once (none lost, none twice), without parking anything and
//   without the inbox: the checkpoint moving with the effects is what makes it once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_SIZE } from '../../src/platform/events/batch-delivery.js';
import { runTypeScript, type Child } from '../support/child-process.js';
import { createFixtureSchema, FIXTURE_EVENTS, startTestBus } from '../support/test-bus.js';
import { createTestDatabase, query } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const SUBSCRIPTION = 'fixture.kill-mid-batch';
const FIXTURE = 'test/fixtures/slow-batch-subscriber.ts';
/** Two and a half batches: the kill lands half-way through the second. */
const EVENTS = Math.round(BATCH_SIZE * 2.5);
const HOLD_AFTER = BATCH_SIZE + BATCH_SIZE / 2;
const PER_TRANSACTION = 25;

describe('kill -9 in the middle of a batch', () => {
  let url: string;
  const children: Child[] = [];

  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
    await query(url, 'create table fixture.applying (event_id uuid not null, pid integer not null, batch xid8 not null, at timestamptz not null default clock_timestamp())');
  });

  afterAll(async () => {
    for (const child of children) child.kill();
    await Promise.all(children.map((child) => child.exited));
  });

  it('commits none of the batch the killed process was applying and has every event applied once by the next process', async () => {
    // Published before any subscriber runs, in transactions of 25: the subscription reads them from
    // the beginning in batches of BATCH_SIZE.
    const publisher = await startTestBus(url, []);
    try {
      for (let first = 0; first < EVENTS; first += PER_TRANSACTION) {
        await publisher.bus.transaction('fixture', async (_tx, publish) => {
          for (let answer = first; answer < first + PER_TRANSACTION; answer++) await publish(FIXTURE_EVENTS.thingHappened, { answer });
        });
      }
    } finally {
      await publisher.close();
    }
    // The log order, which is the order the subscription applies them in.
    const logged = (await query<{ id: string }>(url, `select id from events.log where type = 'fixture.thing-happened' order by transaction_id, position`)).map((row) => row.id);
    expect(logged).toHaveLength(EVENTS);

    const first = runTypeScript(FIXTURE, [], { DATABASE_URL: url, HOLD_AFTER: String(HOLD_AFTER) });
    children.push(first);
    const [, heldBatch] = await first.waitForOutput(/^holding in batch (\d+)$/m, 60_000);
    const effects = () => query<{ event_id: string }>(url, `select event_id from fixture.effects where subscription = $1`, [SUBSCRIPTION]).then((rows) => rows.map((row) => row.event_id));
    const applying = (batch: string) =>
      query<{ event_id: string }>(url, `select event_id from fixture.applying where batch = $1::xid8 order by at`, [batch]).then((rows) => rows.map((row) => row.event_id));
    const batchesOf = (pid: number) =>
      query<{ batch: string; events: number }>(url, `select batch::text, count(*)::int as events from fixture.applying where pid = $1 group by batch order by min(at)`, [pid]);

    // Mid-batch: the process has applied half a batch in its open transaction, and none of it shows.
    const inFlight = await applying(heldBatch!);
    expect(inFlight).toEqual(logged.slice(BATCH_SIZE, HOLD_AFTER));
    expect((await query<{ status: string }>(url, 'select pg_xact_status($1::xid8) as status', [heldBatch]))[0]!.status).toBe('in progress');
    const visible = await effects();
    expect(visible.filter((id) => inFlight.includes(id))).toEqual([]);
    expect(visible.sort()).toEqual(logged.slice(0, BATCH_SIZE).sort());

    // And it holds the subscription: another process would skip it now.
    const claimable = async () => (await query(url, 'select name from events.subscriptions where name = $1 for update skip locked', [SUBSCRIPTION])).length === 1;
    expect(await claimable()).toBe(false);

    first.kill('SIGKILL');
    await first.exited;
    // Its session ends with it: the batch's transaction is rolled back, and with it the lock on the checkpoint.
    await waitFor(async () => (await query<{ status: string }>(url, 'select pg_xact_status($1::xid8) as status', [heldBatch]))[0]!.status === 'aborted', {
      timeoutMs: 10_000,
      what: 'the killed batch to be rolled back',
    });
    expect(await claimable()).toBe(true);
    const [firstBatch, killedBatch, ...more] = await batchesOf(first.process.pid!);
    expect(more).toEqual([]);
    expect(killedBatch).toEqual({ batch: heldBatch, events: HOLD_AFTER - BATCH_SIZE });
    expect(firstBatch!.events).toBe(BATCH_SIZE);
    expect((await query<{ status: string }>(url, 'select pg_xact_status($1::xid8) as status', [firstBatch!.batch]))[0]!.status).toBe('committed');
    // Not partially committed: the effects are the first batch's, each once, and the checkpoint is at its last event.
    const afterKill = await effects();
    expect(afterKill).toHaveLength(BATCH_SIZE);
    expect(afterKill.sort()).toEqual(logged.slice(0, BATCH_SIZE).sort());
    const checkpointAt = async () =>
      (
        await query<{ id: string | null }>(
          url,
          `select log.id from events.subscriptions checkpoint left join events.log log
              on (log.transaction_id, log.position) = (checkpoint.transaction_id, checkpoint.position)
           where checkpoint.name = $1`,
          [SUBSCRIPTION],
        )
      )[0]!.id;
    expect(await checkpointAt()).toBe(logged[BATCH_SIZE - 1]);

    const second = runTypeScript(FIXTURE, [], { DATABASE_URL: url });
    children.push(second);
    await second.waitForOutput(/^ready$/m, 60_000);
    const restartedAt = Date.now();
    await waitFor(async () => (await checkpointAt()) === logged.at(-1), { timeoutMs: 60_000, intervalMs: 100, what: 'the second process to read to the end of the log' });
    const caughtUpMs = Date.now() - restartedAt;

    // Every event's effect exactly once.
    const final = await effects();
    expect(final).toHaveLength(EVENTS);
    expect(new Set(final).size).toBe(EVENTS);
    expect([...final].sort()).toEqual([...logged].sort());
    // The second process applied the interrupted batch and the rest, in committed batches, and not the first batch again.
    const secondBatches = await batchesOf(second.process.pid!);
    const appliedBySecond = (await query<{ event_id: string }>(url, 'select event_id from fixture.applying where pid = $1 order by at', [second.process.pid])).map((row) => row.event_id);
    expect(appliedBySecond).toEqual(logged.slice(BATCH_SIZE));
    for (const { batch } of secondBatches) {
      expect((await query<{ status: string }>(url, 'select pg_xact_status($1::xid8) as status', [batch]))[0]!.status).toBe('committed');
    }
    // Once without a second chance: nothing was parked, nothing went through the inbox.
    expect(await query(url, `select id from pgboss.job where name in ($1, $2)`, [SUBSCRIPTION, `${SUBSCRIPTION}.dead-letter`])).toEqual([]);
    expect(await query(url, 'select event_id from fixture.inbox')).toEqual([]);
    console.info(
      `kill mid-batch: ${EVENTS} events, batches of ${BATCH_SIZE}; killed with ${inFlight.length} events of batch ${heldBatch} applied uncommitted; ` +
        `the second process applied ${appliedBySecond.length} in ${secondBatches.length} batches and caught up ${caughtUpMs} ms after it was ready`,
    );
  }, 180_000);
});
