// `npm run bench`: what the platform costs next to hand-written code doing the same work, measured
// side by side in one invocation on this machine. It starts its own PostgreSQL on loopback, builds
// the app and runs the build in production mode (abuse limits off, said in the output), a hand-written
// Fastify + postgres.js server on the same database, and autocannon in a process of its own.
// Each compared pair runs back to back, several rounds, alternating which side goes first.
//
//   read    GET /api/v1/products/:id                      vs the same SELECT by hand
//   write   POST /api/v1/orders, its sagas in process     vs the same inserts in one transaction
//   settle  orders placed ÷ (load time + until none is pending)  vs the hand-written write rate
//   placed → awaiting_payment, one order at a time on an idle app, as a client polling it sees it
//   events  commit → handler at 200/s and 1,000/s         vs pg-boss polling with its defaults
//   proxy   GET payment through the gateway to payments   vs the monolith
//   tracing read and write with every span exported, against tracing off (the default)
//   start   process start to ready on existing data, and idle RSS
//
// Writes bench-results/results.json (every run) and bench-results/chart.svg; logs of every
// process are in bench-results/logs. BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS tune it;
// BENCH_ONLY=read-write,events,extraction,tracing,start runs some sections; BENCH_CPU_PROF=1 writes a CPU
// profile of every process to bench-results/profiles.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort } from '../src/platform/free-port.js';
import { startBenchDatabase } from './support/bench-database.js';
import { eventBus, pgBossDefaults, type EventLatency } from './support/event-latency.js';
import { CONNECTIONS, DURATION_SECONDS, load, type LoadResult } from './support/load.js';
import { ABUSE_LIMITS_OFF, ROOT, startApp, startHandWritten, startSplit, stopAll, type Running } from './support/processes.js';
import { startOtlpSink } from './support/otlp-sink.js';
import { printTable, spread, writeResults, type Row } from './support/report.js';
import { seed, until } from './support/seed.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const OUT = path.join(ROOT, 'bench-results');
const LOGS = path.join(OUT, 'logs');

const median = (values: number[]) => spread(values).median;
const perSecond = (runs: LoadResult[]) => median(runs.map((run) => run.requestsPerSecond)).toFixed(0);
const p99 = (runs: LoadResult[]) => median(runs.map((run) => run.p99Ms)).toFixed(0);
const describe = (label: string, runs: LoadResult[]) => `${label} ${perSecond(runs)}/s p99 ${p99(runs)} ms`;

/** Runs `a` and `b` back to back, `ROUNDS` times, alternating which goes first. */
async function pairs(a: () => Promise<LoadResult>, b: () => Promise<LoadResult>) {
  const runs = { a: [] as LoadResult[], b: [] as LoadResult[] };
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      runs.a.push(await a());
      runs.b.push(await b());
    } else {
      runs.b.push(await b());
      runs.a.push(await a());
    }
  }
  return runs;
}

function ratioRow(name: string, measured: string, baseline: string, target: number, ratios: number[], detail: string): Row {
  const value = spread(ratios);
  return { name, measured, baseline, value, unit: 'x', target: `≥ ${target}`, met: value.median >= target, detail };
}

/** A ratio that shows what something costs, with no target to meet. */
function costRow(name: string, measured: string, baseline: string, ratios: number[], detail: string): Row {
  return { name, measured, baseline, value: spread(ratios), unit: 'x', target: '—', met: null, detail };
}

function checked(label: string, result: LoadResult): LoadResult {
  if (result.failed > 0) console.warn(`  warning: ${label}: ${result.failed} requests were not answered 2xx`);
  return result;
}

async function readWriteSettle(url: string, sql: postgres.Sql) {
  const [appPort, handPort] = [await freePort(), await freePort()];
  const app = await startApp('app', url, appPort, LOGS);
  const hand = await startHandWritten(url, handPort, LOGS);
  try {
    const data = await seed(app.url);
    const read = { app: `${app.url}/api/v1/products/${data.productIds[0]}`, hand: `${hand.url}/products/${data.productIds[0]}` };
    const write = { app: `${app.url}/api/v1/orders`, hand: `${hand.url}/orders` };
    const order = { method: 'POST' as const, token: data.customerToken, body: data.orderBody };
    const untilNonePending = () =>
      until(async () => ((await sql`select exists (select 1 from orders.orders where status = 'pending') as pending`)[0]!.pending ? null : true), 300_000);

    console.log('warming up');
    for (const target of [read.app, read.hand]) await load({ url: target, seconds: 2 });
    for (const target of [write.app, write.hand]) await load({ url: target, ...order, seconds: 2 });
    await untilNonePending();

    console.log('placed → awaiting_payment');
    const toAwaitingPayment = await orderToAwaitingPayment(app.url, data.customerToken, data.orderBody);

    console.log('read');
    const reads = await pairs(
      async () => checked('read, app', await load({ url: read.app })),
      async () => checked('read, hand-written', await load({ url: read.hand })),
    );
    console.log('write and settle');
    const settles: number[] = [];
    const writes = await pairs(
      async () => {
        const result = checked('write, app', await load({ url: write.app, ...order }));
        const drainStart = performance.now();
        await untilNonePending();
        settles.push(result.ok / (result.seconds + (performance.now() - drainStart) / 1000));
        return result;
      },
      async () => checked('write, hand-written', await load({ url: write.hand, ...order })),
    );
    const handRate = (index: number) => writes.b[index]!.requestsPerSecond;
    return {
      raw: { reads, writes, settles, toAwaitingPayment },
      rows: [
        {
          name: 'to awaiting_payment',
          measured: 'POST /api/v1/orders → awaiting_payment, idle app, client polling every 1 ms',
          baseline: '—',
          value: spread(toAwaitingPayment),
          unit: 'ms',
          target: '≤ 30 ms',
          met: median(toAwaitingPayment) <= 30,
          detail: `${toAwaitingPayment.length} orders one after another`,
        } satisfies Row,
        ratioRow('read', 'GET /api/v1/products/:id', 'hand-written, same SELECT', 0.8, reads.a.map((run, i) => run.requestsPerSecond / reads.b[i]!.requestsPerSecond), `${describe('app', reads.a)}; ${describe('hand', reads.b)}`),
        ratioRow('write', 'POST /api/v1/orders (3 lines), sagas in process', 'same inserts by hand, one transaction, no event', 0.5, writes.a.map((run, i) => run.requestsPerSecond / handRate(i)), `${describe('app', writes.a)}; ${describe('hand', writes.b)}`),
        ratioRow('settle', 'orders placed ÷ (load + until none pending)', 'hand-written write rate', 0.33, settles.map((rate, i) => rate / handRate(i)), `app settles ${median(settles).toFixed(0)} orders/s; hand writes ${perSecond(writes.b)}/s`),
      ],
    };
  } finally {
    await stopAll([app, hand]);
  }
}

// What a customer waits for on an idle app: from sending the order until GET shows it
// awaiting_payment (its stock reserved by the products module, through the bus), one order at a time.
async function orderToAwaitingPayment(base: string, token: string, body: unknown): Promise<number[]> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const times: number[] = [];
  for (let n = 0; n < 30; n++) {
    const started = performance.now();
    const placed = await fetch(`${base}/api/v1/orders`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (placed.status !== 201) throw new Error(`placing an order answered ${placed.status}`);
    const { id } = (await placed.json()) as { id: string };
    for (;;) {
      const order = (await (await fetch(`${base}/api/v1/orders/${id}`, { headers })).json()) as { status: string };
      if (order.status === 'awaiting_payment') break;
      if (order.status !== 'pending') throw new Error(`order ${id} became ${order.status}`);
      if (performance.now() - started > 10_000) throw new Error(`order ${id} still pending after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    times.push(performance.now() - started);
    // Cancelled, so that its units go back and the runs after find the stock they expect.
    await fetch(`${base}/api/v1/orders/${id}/cancel`, { method: 'POST', headers: { authorization: headers.authorization } });
  }
  return times;
}

async function events(url: string) {
  console.log('events');
  const seconds = 3;
  const runs: Record<string, EventLatency[]> = { bus200: [], defaults200: [], bus1000: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.bus200!.push(await eventBus(url, 200, seconds));
    runs.bus1000!.push(await eventBus(url, 1000, seconds));
  }
  runs.defaults200!.push(await pgBossDefaults(url, 200, seconds));
  const p99s = spread(runs.bus200!.map((run) => run.p99Ms));
  const backlog = spread(runs.bus1000!.map((run) => run.catchUpMs));
  const defaults = runs.defaults200![0]!;
  const ms = (value: number) => (Number.isNaN(value) ? 'not all in 15 s' : `${value.toFixed(0)} ms`);
  return {
    raw: runs,
    rows: [
      {
        name: 'events 200/s',
        measured: 'commit → handler p99, same process',
        baseline: 'pg-boss work() with its defaults',
        value: p99s,
        unit: 'ms',
        target: '< 20 ms',
        met: p99s.median < 20,
        detail: `p50 ${median(runs.bus200!.map((run) => run.p50Ms)).toFixed(1)} ms; defaults p50 ${ms(defaults.p50Ms)}, p99 ${ms(defaults.p99Ms)}`,
      },
      {
        name: 'events 1000/s',
        measured: 'catch-up after 3 s of publishing',
        baseline: '—',
        value: backlog,
        unit: 'ms',
        target: '< 500 ms',
        met: backlog.median < 500,
        detail: `p50 ${median(runs.bus1000!.map((run) => run.p50Ms)).toFixed(1)} ms, p99 ${median(runs.bus1000!.map((run) => run.p99Ms)).toFixed(1)} ms; undelivered at the end ${median(runs.bus1000!.map((run) => run.backlogAtEnd))}`,
      },
    ] satisfies Row[],
  };
}

async function extraction(url: string) {
  const monolith = await startApp('monolith', url, await freePort(), LOGS);
  const running: Running[] = [monolith];
  try {
    const data = await seed(monolith.url);
    const get = (base: string, route: string) => () => load({ url: `${base}${route}`, token: data.customerToken }).then((result) => checked(route, result));
    console.log('proxy');
    const split = await startSplit(url, await freePort(), LOGS);
    running.push(...split);
    const payment = `/api/v1/payments/${data.paymentId}`;
    await get(split[0]!.url, payment)();
    const proxy = await pairs(get(split[0]!.url, payment), get(monolith.url, payment));
    await stopAll(split);
    return {
      raw: { proxy },
      rows: [
        ratioRow('proxy', 'GET /api/v1/payments/:id via gateway → payments process', 'the monolith', 0.5, proxy.a.map((run, i) => run.requestsPerSecond / proxy.b[i]!.requestsPerSecond), `${describe('split', proxy.a)}; ${describe('monolith', proxy.b)}`),
      ],
    };
  } finally {
    await stopAll(running);
  }
}

// What tracing costs: the same app with tracing off (the default: no endpoint), and exporting every
// span over OTLP/HTTP to a sink on loopback.
async function tracing(url: string, sql: postgres.Sql) {
  console.log('tracing');
  const sink = await startOtlpSink();
  const off = await startApp('tracing-off', url, await freePort(), LOGS);
  const exported = await startApp('tracing-exported', url, await freePort(), LOGS, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
  try {
    const data = await seed(off.url);
    const read = (app: Running) => () => load({ url: `${app.url}/api/v1/products/${data.productIds[0]}` }).then((result) => checked('read', result));
    const write = (app: Running) => () => load({ url: `${app.url}/api/v1/orders`, method: 'POST', token: data.customerToken, body: data.orderBody }).then((result) => checked('write', result));
    for (const app of [off, exported]) await read(app)();
    const exportedRead = await pairs(read(exported), read(off));
    const exportedWrite = await pairs(write(exported), write(off));
    if (sink.exports() === 0) throw new Error('the exporting app sent no spans');
    // The sagas of those orders settle here, not during the sections after.
    await until(async () => ((await sql`select exists (select 1 from orders.orders where status = 'pending') as pending`)[0]!.pending ? null : true), 300_000);
    const ratios = (runs: { a: LoadResult[]; b: LoadResult[] }) => runs.a.map((run, i) => run.requestsPerSecond / runs.b[i]!.requestsPerSecond);
    return {
      raw: { exportedRead, exportedWrite, exports: sink.exports() },
      rows: [
        costRow('traced read', 'read, every span exported', 'read, tracing off (default)', ratios(exportedRead), `${describe('exported', exportedRead.a)}; ${describe('off', exportedRead.b)}`),
        costRow('traced write', 'write, every span exported', 'write, tracing off (default)', ratios(exportedWrite), `${describe('exported', exportedWrite.a)}; ${describe('off', exportedWrite.b)}`),
      ],
    };
  } finally {
    await stopAll([off, exported]);
    await sink.close();
  }
}

async function startUp(url: string) {
  console.log('start');
  const runs: Array<{ readyMs: number; rssMb: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const app = await startApp('start', url, await freePort(), LOGS);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // idle: start-up garbage collected or not, as it would be
    const status = await readFile(`/proc/${app.process.pid}/status`, 'utf8');
    runs.push({ readyMs: app.readyMs, rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024 });
    await app.stop();
  }
  const ready = spread(runs.map((run) => run.readyMs));
  const rss = spread(runs.map((run) => run.rssMb));
  return {
    raw: runs,
    rows: [
      { name: 'start', measured: 'process start to ready, existing data', baseline: '—', value: ready, unit: 'ms', target: '< 1000 ms', met: ready.median < 1000, detail: 'spawn to first 200 from /health/ready' },
      { name: 'idle RSS', measured: 'resident memory, idle after start', baseline: '—', value: rss, unit: 'MB', target: '< 120 MB', met: rss.median < 120, detail: 'VmRSS of the app process' },
    ] satisfies Row[],
  };
}

async function main() {
  await rm(OUT, { recursive: true, force: true });
  console.log('building the app (npm run build)');
  await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT });
  await mkdir(LOGS, { recursive: true });
  const database = await startBenchDatabase('shop-bench-');
  const { url } = database;
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ${os.platform()}`;
  console.log(`npm run bench on ${machine}`);
  console.log(`${ROUNDS} rounds of ${DURATION_SECONDS} s per side, ${CONNECTIONS} connections (autocannon in its own process), PostgreSQL on loopback`);
  console.log(`abuse limits off for the load generator: ${Object.entries(ABUSE_LIMITS_OFF).map(([name, value]) => `${name}=${value}`).join(' ')}`);
  try {
    const only = process.env.BENCH_ONLY?.split(',');
    const sections: Record<string, { rows: Row[]; raw: unknown }> = {};
    const section = async (name: string, run: () => Promise<{ rows: Row[]; raw: unknown }>) => {
      if (!only || only.includes(name)) sections[name] = await run();
    };
    await section('read-write', () => readWriteSettle(url, sql));
    await section('events', () => events(url));
    await section('extraction', () => extraction(url));
    await section('tracing', () => tracing(url, sql));
    await section('start', () => startUp(url));
    const rows = Object.values(sections).flatMap((section) => section.rows);
    console.log(`\n${printTable(rows)}\n`);
    const raw = Object.fromEntries(Object.entries(sections).map(([name, section]) => [name, section.raw]));
    await writeResults(OUT, rows, { machine, rounds: ROUNDS, seconds: DURATION_SECONDS, connections: CONNECTIONS, ...raw }, `npm run bench: ${machine}`);
    console.log(`raw runs: bench-results/results.json; chart: bench-results/chart.svg; process logs: bench-results/logs`);
  } finally {
    await sql.end();
    await database.stop();
  }
}

await main();
