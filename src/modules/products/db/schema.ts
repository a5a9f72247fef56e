// Tables of the products module, all in the `products` Postgres schema.
import { pgSchema } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../platform/events/inbox.js';

export const productsSchema = pgSchema('products');

export const inbox = inboxTable(productsSchema);
