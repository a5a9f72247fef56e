// A fresh, migrated database per test file, on the run's embedded PostgreSQL.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { ensureDatabase } from '../../src/platform/db/ensure-database.js';
import { runMigrations } from '../../src/platform/db/migrate.js';

export async function createTestDatabase(): Promise<string> {
  const url = await ensureDatabase(inject('postgresServerUrl'), `test_${randomBytes(6).toString('hex')}`);
  await runMigrations(url);
  return url;
}

/** Runs one query on a short-lived connection (for assertions straight on the tables). */
export async function query<T extends Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text, values as never[])) as unknown as T[];
  } finally {
    await sql.end({ timeout: 5 });
  }
}
