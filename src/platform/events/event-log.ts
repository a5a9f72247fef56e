// The event log in PostgreSQL, as the bus sees it: a place to append a transaction's events, a
// source of batches after a subscription's checkpoint, and the checkpoint itself, which moves in
// the same transaction as the handlers' writes. This file is the only one that knows its SQL
// (see event-log-schema.ts for why the reading order is safe); the bus reads through `EventSource`.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { TransactionSql } from 'postgres';
import type { Db, Tx } from '../db/database.js';
import type { EventEnvelope } from './event-envelope.js';
import { eventLog, subscriptionCheckpoints } from './event-log-schema.js';

/** A place in log order: the last event a subscription has dealt with. */
export interface Checkpoint {
  transactionId: string;
  position: number;
}

export interface LoggedEvent extends Checkpoint {
  envelope: EventEnvelope;
}

/** Where a subscription starts the first time it is deployed. */
export type StartFrom = 'now' | 'beginning';

/** Where a subscription reads its events from, and keeps how far it got. */
export interface EventSource {
  /**
   * Inside `tx`: takes the subscription for the rest of the transaction and reads up to `limit`
   * events of `types` after its checkpoint, in log order. Empty when there are none, or when
   * another process holds the subscription (it is applying a batch of it right now).
   */
  claimBatch(tx: Tx, subscription: string, types: readonly string[], limit: number): Promise<LoggedEvent[]>;
  /** Inside the transaction that claimed the batch: the subscription has dealt with everything up to `to`. */
  advance(tx: Tx, subscription: string, to: Checkpoint): Promise<void>;
}

/** Appends one transaction's events in one statement; they commit or roll back with it. */
export async function appendEvents(tx: Tx, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  await tx.insert(eventLog).values(envelopes.map((envelope) => ({ id: envelope.id, type: envelope.type, envelope, occurredAt: new Date(envelope.occurredAt) })));
}

// Only transactions older than every one still in flight are read: they have all ended, and no
// transaction can begin with an older id, so nothing can appear behind a checkpoint later.
const FINISHED = sql`pg_snapshot_xmin(pg_current_snapshot())`;

export const postgresEventSource: EventSource = {
  async claimBatch(tx, subscription, types, limit) {
    const rows = await tx.execute<{ transaction_id: string; position: string; envelope: EventEnvelope }>(sql`
      with checkpoint as (
        select transaction_id, position from ${subscriptionCheckpoints}
         where name = ${subscription}
           for update skip locked
      ), horizon as (select ${FINISHED} as xmin)
      select log.transaction_id::text, log.position, log.envelope
        from checkpoint, horizon, ${eventLog} log
       where log.type = any(${typeList(types)})
         and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position)
         and log.transaction_id < horizon.xmin
       order by log.transaction_id, log.position
       limit ${limit}`);
    return [...rows].map((row) => ({ transactionId: row.transaction_id, position: Number(row.position), envelope: row.envelope }));
  },

  async advance(tx, subscription, to) {
    await tx
      .update(subscriptionCheckpoints)
      .set({ transactionId: to.transactionId, position: to.position, updatedAt: sql`now()` })
      .where(eq(subscriptionCheckpoints.name, subscription));
  },
};

// Written into the statement, so each subscription's query text stays the same from batch to
// batch. Type names come from the catalog (`<module>.<kebab>`), never from input; quoted all the same.
function typeList(types: readonly string[]): SQL {
  return sql.raw(`array[${types.map((type) => `'${type.replaceAll("'", "''")}'`).join(',')}]::text[]`);
}

/** Which of these subscriptions have events of their types waiting after their checkpoint (one statement for all). */
export async function subscriptionsWithEvents(db: Db, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db.execute<{ name: string }>(sql`
    select checkpoint.name from ${subscriptionCheckpoints} checkpoint
     where checkpoint.name in ${names}
       and exists (
         select 1 from ${eventLog} log
          where log.type = any(checkpoint.types)
            and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position)
            and log.transaction_id < ${FINISHED})`);
  return [...rows].map((row) => row.name);
}

/**
 * Gives each subscription a checkpoint the first time it is deployed: `now` starts after every
 * finished transaction (events of one still in flight are delivered), `beginning` before the
 * first event the log holds. A subscription deployed before keeps its checkpoint.
 */
export async function deploySubscriptions(db: Db, subscriptions: ReadonlyArray<{ name: string; types: readonly string[]; from: StartFrom }>): Promise<void> {
  if (subscriptions.length === 0) return;
  await db
    .insert(subscriptionCheckpoints)
    .values(
      subscriptions.map(({ name, types, from }) => ({
        name,
        types: [...types],
        transactionId: from === 'beginning' ? sql`'0'::xid8` : FINISHED,
        position: 0,
      })),
    )
    .onConflictDoUpdate({ target: subscriptionCheckpoints.name, set: { types: sql`excluded.types` } });
}

/** Moves a subscription's checkpoint so that its next batch starts at the event at `position` (in log order). */
export async function rewindToPosition(db: Db, subscription: string, position: number): Promise<Checkpoint | null> {
  const [row] = await db.select({ transactionId: eventLog.transactionId }).from(eventLog).where(eq(eventLog.position, position));
  if (!row) return null;
  return moveCheckpoint(db, subscription, { transactionId: row.transactionId, position: position - 1 });
}

/** Moves a subscription's checkpoint so that its next batch starts at the first event (in log order) that occurred at or after `time`. */
export async function rewindToTime(db: Db, subscription: string, time: Date): Promise<Checkpoint | null> {
  const [row] = await db
    .select({ transactionId: eventLog.transactionId, position: eventLog.position })
    .from(eventLog)
    .where(sql`${eventLog.occurredAt} >= ${time.toISOString()}`)
    .orderBy(eventLog.transactionId, eventLog.position)
    .limit(1);
  // Nothing that recent: the subscription starts after every finished transaction, as `now` does.
  const to = row ? { transactionId: row.transactionId, position: row.position - 1 } : null;
  if (to) return moveCheckpoint(db, subscription, to);
  const [moved] = await db
    .update(subscriptionCheckpoints)
    .set({ transactionId: FINISHED, position: 0, updatedAt: sql`now()` })
    .where(eq(subscriptionCheckpoints.name, subscription))
    .returning({ transactionId: subscriptionCheckpoints.transactionId, position: subscriptionCheckpoints.position });
  return moved ?? null;
}

async function moveCheckpoint(db: Db, subscription: string, to: Checkpoint): Promise<Checkpoint | null> {
  // Waits for a batch being applied right now (it holds the row), so the rewind is not undone by it.
  const [moved] = await db
    .update(subscriptionCheckpoints)
    .set({ ...to, updatedAt: sql`now()` })
    .where(eq(subscriptionCheckpoints.name, subscription))
    .returning({ transactionId: subscriptionCheckpoints.transactionId, position: subscriptionCheckpoints.position });
  return moved ?? null;
}

/**
 * Deletes, `batch` rows at a time, events that occurred before `before` and that every subscription
 * reading their type has read past; returns how many went. A subscription that stopped reading
 * keeps the events of its types after its checkpoint: nothing a subscriber has not seen is pruned.
 */
export async function pruneEventLog(db: Db, before: Date, batch: number): Promise<number> {
  let pruned = 0;
  for (;;) {
    const rows = await db.execute<{ position: string }>(sql`
      delete from ${eventLog} where position in (
        select log.position from ${eventLog} log
         where log.occurred_at < ${before.toISOString()}
           and not exists (
             select 1 from ${subscriptionCheckpoints} checkpoint
              where log.type = any(checkpoint.types)
                and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position))
         order by log.position
         limit ${batch})
      returning position`);
    pruned += rows.length;
    if (rows.length < batch) return pruned;
  }
}

/** For the gauges: per subscription, the events of its types after its checkpoint, and how long ago the oldest occurred. */
export async function readBacklogs(sql: TransactionSql, names: readonly string[]): Promise<Map<string, { waiting: number; oldestSeconds: number }>> {
  if (names.length === 0) return new Map();
  const rows = await sql<Array<{ name: string; waiting: number; oldest_seconds: number }>>`
    select checkpoint.name, count(log.position)::int as waiting,
           coalesce(extract(epoch from now() - min(log.occurred_at)), 0)::float8 as oldest_seconds
      from events.subscriptions checkpoint
      left join events.log log
        on log.type = any(checkpoint.types)
       and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position)
     where checkpoint.name = any(${sql.array([...names])}::text[])
     group by checkpoint.name`;
  return new Map(rows.map((row) => [row.name, { waiting: row.waiting, oldestSeconds: row.oldest_seconds }]));
}
