// Queries of the users module. Every function takes the connection or transaction to run on.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../platform/db/database.js';
import { afterSortKey } from '../../../platform/db/keyset.js';
import type { SortKey } from '../../../platform/http/pagination.js';
import type { Role, UserStatus } from '../domain/user.js';
import { addresses, users, type AddressRow, type UserRow } from './schema.js';

type Runner = Db | Tx;

export async function insertUser(
  runner: Runner,
  user: { email: string; username: string; passwordHash: string; role: Role },
): Promise<UserRow> {
  const [row] = await runner.insert(users).values(user).returning();
  return row!;
}

/** Inserts unless the email is taken; null when it was. */
export async function insertUserIfEmailFree(
  runner: Runner,
  user: { email: string; username: string; passwordHash: string; role: Role },
): Promise<UserRow | null> {
  const [row] = await runner.insert(users).values(user).onConflictDoNothing({ target: users.email }).returning();
  return row ?? null;
}

export async function findUserById(runner: Runner, id: string): Promise<UserRow | null> {
  const [row] = await runner.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function findUserByEmail(runner: Runner, email: string): Promise<UserRow | null> {
  const [row] = await runner.select().from(users).where(eq(users.email, email));
  return row ?? null;
}

export async function findUsernames(runner: Runner, ids: readonly string[]): Promise<Array<{ id: string; username: string }>> {
  if (ids.length === 0) return [];
  return runner.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, [...ids]));
}

export async function updateUser(
  runner: Runner,
  id: string,
  changes: { email?: string; username?: string; status?: UserStatus },
): Promise<UserRow | null> {
  const [row] = await runner
    .update(users)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  return row ?? null;
}

export async function insertAddress(
  runner: Runner,
  address: { userId: string; street: string; city: string; zipCode: string; country: string },
): Promise<AddressRow> {
  const [row] = await runner.insert(addresses).values(address).returning();
  return row!;
}

/** One page of a user's addresses, newest first; fetches limit + 1 rows to tell if more exist. */
export async function listAddresses(runner: Runner, userId: string, limit: number, after: SortKey | null): Promise<AddressRow[]> {
  return runner
    .select()
    .from(addresses)
    .where(and(eq(addresses.userId, userId), afterSortKey(addresses, after)))
    .orderBy(desc(addresses.createdAt), desc(addresses.id))
    .limit(limit + 1);
}
