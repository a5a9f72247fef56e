// The database side of cursor pagination (platform/http/pagination.ts): lists are read newest
// first, ties (same createdAt) broken by id descending, and a page starts strictly after the row
// its cursor names.
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { SortKey } from '../http/pagination.js';

/** The rows that come after `after` in (createdAt, id) descending order; no condition for the first page. */
export function afterSortKey(columns: { createdAt: PgColumn; id: PgColumn }, after: SortKey | null): SQL | undefined {
  if (!after) return undefined;
  const createdAt = new Date(after.createdAt);
  return or(lt(columns.createdAt, createdAt), and(eq(columns.createdAt, createdAt), lt(columns.id, after.id)));
}
