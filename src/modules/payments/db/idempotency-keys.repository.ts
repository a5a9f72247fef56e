// Idempotency keys of payment requests. Every function takes the transaction to run on.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import { idempotencyKeys } from './schema.js';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * Takes the key for this request. Returns false when the key already exists; while another
 * transaction holds an uncommitted claim on it, this waits for that one to end first (the unique
 * key blocks), which is what serialises concurrent twins.
 */
export async function claimIdempotencyKey(tx: Tx, claim: { customerId: string; key: string; requestHash: string }): Promise<boolean> {
  const rows = await tx
    .insert(idempotencyKeys)
    .values(claim)
    .onConflictDoNothing({ target: [idempotencyKeys.customerId, idempotencyKeys.key] })
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function findIdempotencyKey(tx: Tx, customerId: string, key: string) {
  const [row] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.customerId, customerId), eq(idempotencyKeys.key, key)));
  return row ?? null;
}

export async function storeIdempotentResponse(tx: Tx, customerId: string, key: string, response: StoredResponse): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: response.status, responseBody: response.body })
    .where(and(eq(idempotencyKeys.customerId, customerId), eq(idempotencyKeys.key, key)));
}
