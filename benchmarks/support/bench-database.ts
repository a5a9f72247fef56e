// A PostgreSQL of the benchmark's own: embedded, in a temporary folder, with a migrated `bench`
// database; stop() removes it all.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres.js';
import { ensureDatabase } from '../../src/platform/db/ensure-database.js';
import { runMigrations } from '../../src/platform/db/migrate.js';

export async function startBenchDatabase(folderPrefix: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), folderPrefix));
  await chmod(dataDir, 0o755); // run as root, PostgreSQL runs as another user and must reach it
  const server = await startEmbeddedPostgres({ dataDir, password: 'bench' });
  const url = await ensureDatabase(server.url, 'bench');
  await runMigrations(url);
  return {
    url,
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
