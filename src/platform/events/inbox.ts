// Each module's inbox: the events its subscriptions have already applied. Recording the event id in
// the same transaction as the handler's effect is what makes at-least-once delivery apply once.
import { sql } from 'drizzle-orm';
import { primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/database.js';

/** The inbox table a module declares in its own schema (module db files call this). */
export function inboxTable(schema: PgSchema) {
  return schema.table(
    'inbox',
    {
      eventId: uuid('event_id').notNull(),
      subscription: text('subscription').notNull(),
      eventType: text('event_type').notNull(),
      handledAt: timestamp('handled_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.subscription, table.eventId] })],
  );
}

/** Claims (subscription, event) in the module's inbox; false when it was applied before. */
export async function claimInInbox(tx: Tx, schema: string, subscription: string, eventId: string, eventType: string): Promise<boolean> {
  const rows = await tx.execute(sql`
    insert into ${sql.identifier(schema)}.inbox (event_id, subscription, event_type)
    values (${eventId}, ${subscription}, ${eventType})
    on conflict do nothing
    returning event_id`);
  return rows.length > 0;
}
