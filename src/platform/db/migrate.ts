// Applies migrations/ at start-up. Replicas may start at the same moment against one database, so
// the whole run holds a Postgres advisory lock: the first applies, the others wait and find
// nothing left to do.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

const MIGRATION_LOCK_ID = 7_351_001;

export async function runMigrations(url: string): Promise<void> {
  // One connection, so the advisory lock and the migration share a session.
  const migrationsFolder = findMigrationsFolder(path.dirname(fileURLToPath(import.meta.url)));
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// migrations/ sits at the root of the project, next to src/, and of the production image, next to
// dist/: this file runs as src/platform/db/migrate.ts (tsx, tests) or bundled into dist/main.js.
// The nearest folder above this code that has one is the root (three levels up, or one).
function findMigrationsFolder(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'migrations');
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no migrations/ folder (with meta/_journal.json) found above ${from}`);
  }
}
