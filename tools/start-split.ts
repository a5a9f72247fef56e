// `npm run start:split`: the application split into three processes on one machine, without
// Docker. One embedded PostgreSQL (the same DATA_DIR as `npm start`), and:
//
//   gateway   PORT     hosts users and products, forwards /api/v1/orders and /api/v1/payments
//   orders    PORT+1   hosts orders; calls users and products over HTTP (service tokens)
//   payments  PORT+2   hosts payments
//
// Clients keep using http://127.0.0.1:PORT. Each process is the same build with other MODULES and
// REMOTE_MODULES: this script only sets environment variables.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../src/config.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/platform/db/embedded-postgres.js';
import { ensureDatabase } from '../src/platform/db/ensure-database.js';
import { loadLocalSecrets } from '../src/platform/secrets.js';
import { splitLayout } from './split-layout.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function startProcess(name: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}] `.padEnd(11);
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk) => {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) process.stdout.write(`${prefix}exited (${signal ?? code}); the others keep running\n`);
  });
  return child;
}

let stopping = false;

async function main(): Promise<void> {
  const config = loadConfig();
  const secrets = await loadLocalSecrets(config.dataDir);
  let database: RunningPostgres | null = null;
  let databaseUrl = config.databaseUrl;
  if (databaseUrl === null) {
    database = await startEmbeddedPostgres({ dataDir: config.dataDir, password: secrets.postgresPassword });
    databaseUrl = await ensureDatabase(database.url, 'shop');
  }
  const children = splitLayout(config.port).map(({ name, port, env }) =>
    startProcess(name, { ...env, PORT: String(port), DATABASE_URL: databaseUrl!, DATA_DIR: config.dataDir }),
  );
  process.stdout.write(`split topology starting: clients use http://127.0.0.1:${config.port} (Ctrl-C stops all)\n`);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))),
    );
    await database?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
