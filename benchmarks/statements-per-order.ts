// `npm run bench:statements`: how many SQL statements one order costs the whole system, from its
// POST to `awaiting_payment` (the sagas included), by pool and by statement, against the 5 of the
// hand-written write. On these machines a round trip costs more than the work around it, so this
// count is what bounds the write and settle rows of `npm run bench`: make it smaller first.
//
// It builds the app, starts a PostgreSQL of its own that logs every statement, places ORDERS
// orders one after another once the app is idle (STATEMENT_ORDERS, default 20), waits until none
// is pending, and counts what the log gained. Background work (pg-boss's maintenance) runs
// meanwhile and is counted with the rest: its rows are the ones that do not grow with ORDERS.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.js';
import { ensureDatabase } from '../src/platform/db/ensure-database.js';
import { runMigrations } from '../src/platform/db/migrate.js';
import { freePort } from '../src/platform/free-port.js';
import { ROOT, startApp } from './support/processes.js';
import { seed, until } from './support/seed.js';

const ORDERS = Number(process.env.STATEMENT_ORDERS ?? 20);
// Each logged statement starts with the session's application_name: the pool that sent it.
const LOG_PREFIX = '%a| ';
const STATEMENT = /^([^|\n]*)\| LOG: {2}(?:statement|execute [^:]*): ([\s\S]*)$/;

await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT });
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-statements-'));
await chmod(dataDir, 0o755); // run as root, PostgreSQL runs as another user and must reach it
const logDir = path.join(ROOT, 'bench-results', 'logs');
await mkdir(logDir, { recursive: true });
const server = await startEmbeddedPostgres({
  dataDir,
  password: 'bench',
  postgresFlags: ['-c', 'log_statement=all', '-c', `log_line_prefix=${LOG_PREFIX}`],
});
const serverLog = path.join(dataDir, 'postgres', 'server.log');
const url = await ensureDatabase(server.url, 'bench');
await runMigrations(url);
const app = await startApp('statements', url, await freePort(), logDir);
const sql = postgres(url, { max: 1, onnotice: () => {} });
try {
  const data = await seed(app.url);
  const nonePending = async () => ((await sql`select exists (select 1 from orders.orders where status = 'pending') as pending`)[0]!.pending ? null : true);
  await until(nonePending);

  const logged = async () => (await readFile(serverLog, 'utf8')).split(/\n(?=[^\s|]*\| )/);
  const before = (await logged()).length;
  for (let order = 0; order < ORDERS; order++) {
    const response = await fetch(`${app.url}/api/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${data.customerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(data.orderBody),
    });
    if (response.status !== 201) throw new Error(`placing an order answered ${response.status}: ${await response.text()}`);
  }
  await until(nonePending);

  const counts = new Map<string, number>();
  let total = 0;
  for (const entry of (await logged()).slice(before)) {
    const [, pool, text] = STATEMENT.exec(entry) ?? [];
    if (pool === undefined || !pool.startsWith('shop:')) continue; // this script's own probes
    const key = `${pool.padEnd(14)} ${text!.replace(/\s+/g, ' ').trim().slice(0, 100)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  console.log(`${total} statements for ${ORDERS} orders: ${(total / ORDERS).toFixed(1)} per order (the hand-written write: 5)\n`);
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${(count / ORDERS).toFixed(2).padStart(6)}  ${key}`);
  }
} finally {
  await sql.end();
  await app.stop();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
