// Tables the platform itself keeps, shared by every process of a deployment (and so by every
// replica): abuse-limit counters and the users whose access was revoked. Modules never touch them.
import { index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inboxTable } from '../events/inbox.js';

export const platformSchema = pgSchema('platform');

/** Fixed-window counters: one row per limited key (e.g. `login-address:203.0.113.7`). */
export const rateLimitCounters = platformSchema.table('rate_limit_counters', {
  key: text().primaryKey(),
  hits: integer().notNull(),
  resetsAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * The latest known status of every user whose status ever changed, fed by
 * `users.user-status-changed`. Tokens of a user whose status here is not `active` are refused.
 */
export const accessRevocations = platformSchema.table(
  'access_revocations',
  {
    userId: uuid().primaryKey(),
    status: text().notNull(),
    /** When the status changed (the event's time): an older event never overwrites a newer one. */
    changedAt: timestamp({ withTimezone: true }).notNull(),
    /** When this row was written: each process reloads the rows written since its last look. */
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.recordedAt)],
);

/** The platform's own subscriptions apply each event once, like a module's. */
export const platformInbox = inboxTable(platformSchema);
