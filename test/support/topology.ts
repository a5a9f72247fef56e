// Runs the real application as separate processes on loopback ports: the monolith, or the split
// topology of `npm run start:split` (gateway with users and products, orders and payments apart).
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { splitLayout } from '../../tools/split-layout.js';
import { runTypeScript, type Child } from './child-process.js';
import { freePort } from './free-port.js';
import { SAFE_PRODUCTION_ENV } from './production-env.js';
import { TEST_SECRETS } from './test-app.js';

export interface Topology {
  /** Where clients send requests: the first process (the monolith, or the gateway). */
  baseUrl: string;
  processes: Record<string, { child: Child; port: number; env: Record<string, string> }>;
  /** Starts a stopped process again with the same settings. */
  restart(name: string): Promise<void>;
  /** Stops one process (SIGTERM, graceful), or all of them. */
  stop(name?: string): Promise<void>;
}

interface ProcessPlan {
  name: string;
  port: number;
  env: Record<string, string>;
}

async function launch(env: Record<string, string>): Promise<Child> {
  const child = runTypeScript('src/main.ts', [], env);
  await child.waitForOutput(/shop listening on/, 60_000).catch((error: Error) => {
    child.kill();
    throw new Error(`${error.message}\n${child.output().slice(-2000)}`);
  });
  return child;
}

async function startProcesses(databaseUrl: string, plans: ProcessPlan[], extraEnv: Record<string, string>): Promise<Topology> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-topology-'));
  const processes: Topology['processes'] = {};
  for (const plan of plans) {
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_SECRETS.jwtSecret,
      SERVICE_TOKEN_SECRET: TEST_SECRETS.serviceTokenSecret,
      CARD_GATEWAY: 'simulated',
      METRICS_TOKEN: SAFE_PRODUCTION_ENV.METRICS_TOKEN,
      EVENTS_POLLING_INTERVAL_SECONDS: '0.5',
      EVENTS_RETRY_DELAY_SECONDS: '1',
      EVENTS_RETRY_DELAY_MAX_SECONDS: '2',
      // Every request of the tests and benchmarks comes from 127.0.0.1: the production limit per
      // address would throttle the harness, not a client. Tests of the limit pass their own.
      RATE_LIMIT_MAX: '0',
      // Stopping is immediate in tests; the drain's own test sets it.
      SHUTDOWN_DRAIN_MS: '0',
      ...extraEnv,
      ...plan.env,
      PORT: String(plan.port),
    };
    processes[plan.name] = { child: await launch(env), port: plan.port, env };
  }
  return {
    baseUrl: `http://127.0.0.1:${plans[0]!.port}`,
    processes,
    restart: async (name) => {
      const entry = processes[name]!;
      entry.child = await launch(entry.env);
    },
    stop: async (name) => {
      await Promise.all(
        Object.entries(processes)
          .filter(([processName]) => name === undefined || processName === name)
          .map(async ([, entry]) => {
            entry.child.kill('SIGTERM');
            await entry.child.exited;
          }),
      );
    },
  };
}

export async function startMonolith(databaseUrl: string, env: Record<string, string> = {}): Promise<Topology> {
  return startProcesses(databaseUrl, [{ name: 'monolith', port: await freePort(), env: {} }], env);
}

export async function startSplit(databaseUrl: string, env: Record<string, string> = {}): Promise<Topology> {
  const [gateway, orders, payments] = [await freePort(), await freePort(), await freePort()];
  const plans = splitLayout(gateway, { orders: orders!, payments: payments! });
  return startProcesses(databaseUrl, plans.map((plan) => (plan.name === 'gateway' ? plan : behindGateway(plan))), env);
}

/** A monolith that sends `weight`% of the products module's traffic to a second process hosting products. */
export async function startCanary(databaseUrl: string, weight: number, env: Record<string, string> = {}): Promise<Topology> {
  const [gateway, products] = [await freePort(), await freePort()];
  return startProcesses(
    databaseUrl,
    [
      { name: 'gateway', port: gateway, env: { REMOTE_MODULES: `products=http://127.0.0.1:${products}@${weight}` } },
      behindGateway({ name: 'products', port: products, env: { MODULES: 'products', TRUST_PROXY: '127.0.0.1' } }),
    ],
    env,
  );
}

// Requests per client address are counted where clients connect: a process that only receives the
// gateway's forwarded requests would count each of them a second time under the same client key.
function behindGateway(plan: ProcessPlan): ProcessPlan {
  return { ...plan, env: { ...plan.env, RATE_LIMIT_MAX: '0' } };
}
