// Starts one embedded PostgreSQL for the whole test run, in the OS temp folder (the checkout may
// sit where the `postgres` OS user cannot go), with fsync off: test data is throwaway.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-test-'));
  await chmod(dataDir, 0o755); // the `postgres` OS user must enter it when tests run as root
  const server = await startEmbeddedPostgres({ dataDir, password: 'test-only-password', postgresFlags: ['-c', 'fsync=off', '-c', 'max_connections=300'] });
  project.provide('postgresServerUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
