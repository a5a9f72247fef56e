// The processes a benchmark compares: the app as production runs it (`npm run build`, then
// `node dist/main.js` in production mode), and the hand-written baseline. Each writes its output to a log file (as a deployment's collector would
// take it) and counts as started when its readiness route answers 200.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/platform/free-port.js';
import { splitLayout } from '../../tools/split-layout.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };

/** Every abuse limit off: one load generator on one address is not an abuser. The report says so. */
export const ABUSE_LIMITS_OFF = {
  RATE_LIMIT_MAX: '0',
  LOGIN_RATE_LIMIT_MAX: '0',
  LOGIN_ADDRESS_RATE_LIMIT_MAX: '0',
  REGISTRATION_RATE_LIMIT_MAX: '0',
  MAX_OPEN_ORDERS_PER_CUSTOMER: '0',
};

const secret = () => randomBytes(32).toString('base64url');
/** Fresh strong secrets for this run, shared by every process of it (tokens must verify everywhere). */
export const SECRETS = { JWT_SECRET: secret(), SERVICE_TOKEN_SECRET: secret(), METRICS_TOKEN: secret() };

export interface Running {
  name: string;
  url: string;
  process: ChildProcess;
  /** Milliseconds from spawn to the first 200 from readiness. */
  readyMs: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** A built JavaScript file, run by node as it is, or a TypeScript one, run through tsx. */
  entry: string;
  port: number;
  env: Record<string, string>;
  logDir: string;
}

export async function startProcess({ name, entry, port, env, logDir }: StartOptions): Promise<Running> {
  const log = openSync(path.join(logDir, `${name}.log`), 'a');
  const startedAt = performance.now();
  // BENCH_CPU_PROF=1: a V8 CPU profile of every process, written when it exits, for the hot paths.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.join(logDir, '..', 'profiles')] : [];
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...profile, ...loader, entry], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready; see ${logDir}/${name}.log`);
    const ready = await fetch(`${url}/health/ready`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within 60 s; see ${logDir}/${name}.log`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const readyMs = performance.now() - startedAt;
  return {
    name,
    url,
    process: child,
    readyMs,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The app's production build, as `npm run build` writes it; build it before starting the app. */
export const BUILT_APP = 'dist/main.js';

/** The app's build in production mode, hosting `extraEnv.MODULES` (default all) on `port`. */
export function startApp(name: string, databaseUrl: string, port: number, logDir: string, extraEnv: Record<string, string> = {}) {
  return startProcess({
    name,
    entry: BUILT_APP,
    port,
    logDir,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ...SECRETS,
      CARD_GATEWAY: 'simulated',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SHUTDOWN_DRAIN_MS: '0',
      ...ABUSE_LIMITS_OFF,
      ...extraEnv,
    },
  });
}

export function startHandWritten(databaseUrl: string, port: number, logDir: string) {
  return startProcess({ name: 'hand-written', entry: 'benchmarks/support/hand-written-server.ts', port, logDir, env: { DATABASE_URL: databaseUrl, JWT_SECRET: SECRETS.JWT_SECRET } });
}

/** The split topology of `npm run start:split` (gateway with users and products; orders, payments apart). */
export async function startSplit(databaseUrl: string, gatewayPort: number, logDir: string): Promise<Running[]> {
  const started: Running[] = [];
  const ports = { orders: await freePort(), payments: await freePort() };
  for (const plan of splitLayout(gatewayPort, ports).reverse()) started.unshift(await startApp(`split-${plan.name}`, databaseUrl, plan.port, logDir, plan.env));
  return started;
}

/** Every module in a process of its own: the gateway hosts users, products, orders and payments live apart. */
export async function startFullySplit(databaseUrl: string, gatewayPort: number, logDir: string): Promise<Running[]> {
  // A free port each: the ports after the gateway's may belong to anything (a client's, for one).
  const port = { gateway: gatewayPort, products: await freePort(), orders: await freePort(), payments: await freePort() };
  const url = (name: keyof typeof port) => `http://127.0.0.1:${port[name]}`;
  const behindGateway = { TRUST_PROXY: '127.0.0.1' };
  const plans: Array<{ name: keyof typeof port; env: Record<string, string> }> = [
    { name: 'products', env: { MODULES: 'products', ...behindGateway } },
    { name: 'payments', env: { MODULES: 'payments', ...behindGateway } },
    { name: 'orders', env: { MODULES: 'orders', REMOTE_MODULES: `users=${url('gateway')},products=${url('products')}`, ...behindGateway } },
    { name: 'gateway', env: { MODULES: 'users', REMOTE_MODULES: `products=${url('products')},orders=${url('orders')},payments=${url('payments')}` } },
  ];
  const started: Running[] = [];
  for (const plan of plans) started.unshift(await startApp(`apart-${plan.name}`, databaseUrl, port[plan.name], logDir, plan.env));
  return started;
}

export async function stopAll(processes: Running[]): Promise<void> {
  await Promise.all(processes.map((running) => running.stop()));
}
