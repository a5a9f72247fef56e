// A migrated database on an embedded PostgreSQL of its own, in a temporary folder removed again on
// stop: what a tool needs to build the app once, whatever the machine runs (no DATABASE_URL).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres.js';
import { ensureDatabase } from '../../src/platform/db/ensure-database.js';
import { runMigrations } from '../../src/platform/db/migrate.js';

export interface ThrowawayDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startThrowawayDatabase(name: string): Promise<ThrowawayDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `shop-${name}-`));
  await chmod(dataDir, 0o755); // the `postgres` OS user must enter it when this runs as root
  const server = await startEmbeddedPostgres({ dataDir, password: `${name}-only`, postgresFlags: ['-c', 'fsync=off'] });
  const stop = async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await ensureDatabase(server.url, name.replace(/\W/g, '_'));
    await runMigrations(url);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
