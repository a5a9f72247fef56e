// Tables of the orders module, all in the `orders` Postgres schema.
import { pgSchema } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../platform/events/inbox.js';

export const ordersSchema = pgSchema('orders');

export const inbox = inboxTable(ordersSchema);
