// The event log and the subscriptions reading it, in schema `events`, shared by every module of a
// database (each module's role may append to the log and move its subscriptions' checkpoints).
//
// The log is append-only, one row per event. Its reading order is (transaction_id, position):
// `position` alone is not safe to read by, because a transaction that took a smaller position may
// commit after one that took a larger; a reader that had moved past the larger would never see it.
// Readers take only rows of transactions older than every transaction still in flight
// (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`), and no transaction can start with
// an id older than that, so nothing can appear behind a reader's checkpoint.
import { sql } from 'drizzle-orm';
import { bigint, customType, index, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { EventEnvelope } from './event-envelope.js';

export const eventsSchema = pgSchema('events');

/** A 64-bit transaction id (xid8), read and written as its decimal text: it can pass 2^53. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const eventLog = eventsSchema.table(
  'log',
  {
    position: bigint('position', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: xid8('transaction_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    id: uuid('id').notNull(),
    type: text('type').notNull(),
    envelope: jsonb('envelope').$type<EventEnvelope>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  // A subscription reads the types it subscribes to, after its checkpoint, in log order.
  (table) => [index().on(table.type, table.transactionId, table.position), index().on(table.occurredAt)],
);

/** Where each subscription has read the log up to: the last event it has dealt with, in log order. */
export const subscriptionCheckpoints = eventsSchema.table('subscriptions', {
  /** `<module>.<subscription>`, as its park and dead-letter queues are named. */
  name: text('name').primaryKey(),
  /** The event types it reads, as its pattern expands over the catalog of its latest deployment. */
  types: text('types').array().notNull(),
  transactionId: xid8('transaction_id').notNull(),
  position: bigint('position', { mode: 'number' }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
