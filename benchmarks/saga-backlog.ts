// `npm run bench:backlog`: where the order sagas' backlog sits, second by second, while orders are
// placed under load and after. It builds the app, starts a PostgreSQL of its own, places orders
// for BACKLOG_SECONDS (default 5) with autocannon (50 connections, abuse limits off), and prints
// every second the events waiting for each subscription (in the event log after its checkpoint,
// plus parked ones) and the orders by status, until none is pending. The subscription whose backlog
// grows while the load lasts is the one that bounds the settle row of `npm run bench`.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort } from '../src/platform/free-port.js';
import { startBenchDatabase } from './support/bench-database.js';
import { load } from './support/load.js';
import { ROOT, startApp, stopAll } from './support/processes.js';
import { seed, until } from './support/seed.js';

const SECONDS = Number(process.env.BACKLOG_SECONDS ?? 5);
const LOGS = path.join(ROOT, 'bench-results', 'logs');

await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT });
await mkdir(LOGS, { recursive: true });
const database = await startBenchDatabase('shop-backlog-');
const { url } = database;
const sql = postgres(url, { max: 2, onnotice: () => {} });
const app = await startApp('app', url, await freePort(), LOGS);
let started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s`;

async function sample(): Promise<void> {
  const queues = await sql`
    select checkpoint.name, count(log.position)::int + (
             select count(*)::int from pgboss.job where name = checkpoint.name and state in ('created', 'retry', 'active')) as waiting
      from events.subscriptions checkpoint
      left join events.log log on log.type = any(checkpoint.types)
       and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position)
     group by checkpoint.name
    having count(log.position) > 0 or exists (select 1 from pgboss.job where name = checkpoint.name and state in ('created', 'retry', 'active'))
     order by checkpoint.name`;
  const orders = await sql`select status, count(*)::int as count from orders.orders group by status order by status`;
  const waiting = queues.map((queue) => `${queue.name} ${queue.waiting}`).join(', ') || 'no events waiting';
  console.log(`${elapsed()}  ${waiting} | orders: ${orders.map((row) => `${row.status} ${row.count}`).join(', ')}`);
}

try {
  const data = await seed(app.url);
  started = performance.now();
  const sampler = setInterval(() => void sample().catch(() => {}), 1000);
  const placed = await load({ url: `${app.url}/api/v1/orders`, method: 'POST', token: data.customerToken, body: data.orderBody, seconds: SECONDS });
  console.log(`${elapsed()}  load over: ${placed.ok} orders placed, ${placed.requestsPerSecond.toFixed(0)}/s`);
  await until(async () => ((await sql`select exists (select 1 from orders.orders where status = 'pending') as pending`)[0]!.pending ? null : true), 300_000);
  clearInterval(sampler);
  console.log(`${elapsed()}  none pending: ${(placed.ok / ((performance.now() - started) / 1000)).toFixed(0)} orders settled per second`);
} finally {
  await stopAll([app]);
  await sql.end();
  await database.stop();
}
