// Tables of the payments module, all in the `payments` Postgres schema.
import { pgSchema } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../platform/events/inbox.js';

export const paymentsSchema = pgSchema('payments');

export const inbox = inboxTable(paymentsSchema);
