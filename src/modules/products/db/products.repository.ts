// Catalog queries of the products module. Every function takes the connection or transaction to
// run on.
import { and, desc, eq, ilike, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../platform/db/database.js';
import { afterSortKey } from '../../../platform/db/keyset.js';
import { preparedQuery } from '../../../platform/db/prepared-query.js';
import type { SortKey } from '../../../platform/http/pagination.js';
import type { ProductSummary } from '../api.js';
import { products, type ProductRow } from './schema.js';

type Runner = Db | Tx;

export interface NewProduct {
  sku: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: string;
  stock: number;
}

export interface ProductChanges {
  name?: string;
  description?: string | null;
  priceCents?: number;
  stock?: number;
}

export async function insertProduct(runner: Runner, product: NewProduct): Promise<ProductRow> {
  const [row] = await runner.insert(products).values(product).returning();
  return row!;
}

const selectProductById = preparedQuery<{ id: string }, ProductRow[]>((runner) =>
  runner.select().from(products).where(eq(products.id, sql.placeholder('id'))).prepare('products_by_id'),
);

export async function findProductById(runner: Runner, id: string): Promise<ProductRow | null> {
  const [row] = await selectProductById(runner, { id });
  return row ?? null;
}

/** Catalog entries of the given products in one query; callers have dropped ids that are not UUIDs. */
export async function findProductSummaries(runner: Runner, ids: readonly string[]): Promise<ProductSummary[]> {
  if (ids.length === 0) return [];
  return runner
    .select({ id: products.id, sku: products.sku, name: products.name, priceCents: products.priceCents, currency: products.currency })
    .from(products)
    .where(inArray(products.id, [...ids]));
}

/**
 * Applies the changes unless that would leave fewer units in stock than are reserved (checked by
 * the UPDATE itself, under the row lock, so a reservation racing in cannot slip past it).
 * null when no product matched: absent, or the stock was too low.
 */
export async function updateProduct(runner: Runner, id: string, changes: ProductChanges): Promise<ProductRow | null> {
  const [row] = await runner
    .update(products)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(products.id, id), changes.stock === undefined ? undefined : lte(products.reserved, changes.stock)))
    .returning();
  return row ?? null;
}

/** One page of products, newest first, optionally only those whose name or sku contains `q` (any case). */
export async function listProducts(runner: Runner, options: { q: string | null; limit: number; after: SortKey | null }): Promise<ProductRow[]> {
  const { q, limit, after } = options;
  const pattern = q === null ? null : `%${escapeLike(q)}%`;
  const matches = pattern === null ? undefined : or(ilike(products.name, pattern), ilike(products.sku, pattern));
  return runner
    .select()
    .from(products)
    .where(and(matches, afterSortKey(products, after)))
    .orderBy(desc(products.createdAt), desc(products.id))
    .limit(limit + 1);
}

// A search for "50%" or "a_b" means those characters, not LIKE wildcards (backslash is LIKE's
// default escape character).
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
