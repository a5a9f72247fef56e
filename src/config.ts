// One validated configuration, read once from the environment at start-up, composed of what each
// part owns: the process's own settings here, the platform's pieces (events, remote calls, HTTP)
// read by the platform, and each hosted module's settings read by its definition. Every bad value
// stops start-up with a ConfigError whose message is one line naming the variable (main.ts prints
// only that).
import path from 'node:path';
import { ALL_MODULES } from './module-registry.js';
import { ConfigError, envReader, type Env, type EnvReader } from './platform/config/env-reader.js';
import { readEventsConfig, type EventsConfig } from './platform/events/events-config.js';
import { readHttpConfig, type HttpConfig } from './platform/http/http-config.js';
import type { ModuleDefinition } from './platform/modules/module-definition.js';
import { readTracingConfig, type TracingConfig } from './platform/observability/tracing-config.js';
import { readRemoteCallsConfig, type RemoteCallsConfig } from './platform/remote/remote-calls-config.js';

export { ConfigError };

export interface RemoteModule {
  urls: string[];
  /** Percentage of public traffic sent to the remote side when the module is also hosted here. */
  weight: number | null;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | null;
  /** Run each module's queries as a database role limited to its own schema. */
  moduleDatabaseRoles: boolean;
  dataDir: string;
  logLevel: string;
  jwtSecret: string | null;
  serviceTokenSecret: string | null;
  /** The modules this process hosts (MODULES). */
  modules: string[];
  /** Where the modules this process does not host are served (REMOTE_MODULES). */
  remoteModules: Record<string, RemoteModule>;
  remoteCalls: RemoteCallsConfig;
  events: EventsConfig;
  http: HttpConfig;
  tracing: TracingConfig;
  shutdownTimeoutMs: number;
  /** On SIGTERM, how long readiness says 503 while requests are still served, before closing. */
  shutdownDrainMs: number;
  /** How often each process reloads the users whose access was revoked (suspended, inactive). */
  accessRevocationRefreshMs: number;
  /** The settings of each hosted module that has some, by module name, as its definition read them. */
  moduleConfigs: Record<string, unknown>;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `definitions`: the modules MODULES and REMOTE_MODULES may name (tests add fixture modules). */
export function loadConfig(env: Env = process.env, definitions: readonly ModuleDefinition[] = ALL_MODULES): AppConfig {
  const nodeEnv = envReader(env, false).oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';
  const read = envReader(env, production);
  const known = definitions.map((definition) => definition.name);
  const modules = moduleList(read, 'MODULES', known);
  const config: AppConfig = {
    env: nodeEnv,
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.text('HOST') ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: postgresUrl(read, 'DATABASE_URL'),
    moduleDatabaseRoles: read.oneOf('DATABASE_MODULE_ROLES', ['on', 'off'], 'on') === 'on',
    dataDir: path.resolve(read.text('DATA_DIR') ?? '.data'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    jwtSecret: requiredInProduction(read, 'JWT_SECRET'),
    serviceTokenSecret: requiredInProduction(read, 'SERVICE_TOKEN_SECRET'),
    modules,
    remoteModules: remoteModules(read, 'REMOTE_MODULES', known),
    remoteCalls: readRemoteCallsConfig(read),
    events: readEventsConfig(read),
    http: readHttpConfig(read),
    tracing: readTracingConfig(read, modules),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    // Long enough, in production, for a load balancer polling readiness to take the process out.
    shutdownDrainMs: read.integer('SHUTDOWN_DRAIN_MS', production ? 5000 : 0, 0, 600_000),
    accessRevocationRefreshMs: read.integer('ACCESS_REVOCATION_REFRESH_MS', 1000, 50, 60_000),
    moduleConfigs: Object.fromEntries(
      definitions.flatMap((definition) => (definition.config && modules.includes(definition.name) ? [[definition.name, definition.config(read)]] : [])),
    ),
  };
  checkTopology(config);
  checkProductionSafety(config);
  return config;
}

// Production must not start on a configuration anyone could guess: secrets that forge tokens and
// metrics open to the internet (modules refuse their own unsafe settings, e.g. payments' gateway).
function checkProductionSafety(config: AppConfig): void {
  if (config.env !== 'production') return;
  const { metrics } = config.http;
  if (config.jwtSecret !== null && config.jwtSecret === config.serviceTokenSecret) {
    throw new ConfigError('JWT_SECRET and SERVICE_TOKEN_SECRET must differ: one signs user tokens, the other service tokens');
  }
  if (metrics.token !== null && [config.jwtSecret, config.serviceTokenSecret].includes(metrics.token)) {
    throw new ConfigError('METRICS_TOKEN must differ from JWT_SECRET and SERVICE_TOKEN_SECRET');
  }
  if (metrics.token === null && metrics.port === null) {
    throw new ConfigError('METRICS_TOKEN or METRICS_PORT is required when NODE_ENV=production: /metrics must not be open to anyone who reaches the API');
  }
}


// A module served here and elsewhere splits its traffic by weight; without one it is ambiguous.
function checkTopology(config: AppConfig): void {
  for (const [module, remote] of Object.entries(config.remoteModules)) {
    const hosted = config.modules.includes(module);
    if (hosted && remote.weight === null) {
      throw new ConfigError(`REMOTE_MODULES names ${module}, which MODULES hosts too: give it a weight (${module}=url@10) to move traffic gradually, or drop it from one of them`);
    }
    if (!hosted && remote.weight !== null) {
      throw new ConfigError(`REMOTE_MODULES gives ${module} a weight, but MODULES does not host it: all its traffic goes to the remote side`);
    }
  }
}

function postgresUrl(env: EnvReader, name: string): string | null {
  const value = env.text(name);
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a postgres:// connection string`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must be a postgres:// connection string (got protocol "${url.protocol}")`);
  }
  return value;
}

// Unset in development: generated and kept in DATA_DIR (platform/secrets.ts).
function requiredInProduction(env: EnvReader, name: string): string | null {
  const value = env.secret(name);
  if (value === null && env.production) throw new ConfigError(`${name} is required when NODE_ENV=production`);
  return value;
}

function moduleName(variable: string, value: string, known: readonly string[]): string {
  if (!known.includes(value)) throw new ConfigError(`${variable} names an unknown module "${value}" (known: ${known.join(', ')})`);
  return value;
}

function moduleList(env: EnvReader, name: string, known: readonly string[]): string[] {
  const value = env.text(name);
  if (value === null) return [...known];
  const modules = value.split(',').map((part) => moduleName(name, part.trim(), known));
  if (new Set(modules).size !== modules.length) throw new ConfigError(`${name} lists a module twice`);
  return modules;
}

// name=url[|url2][@weight],…
function remoteModules(env: EnvReader, name: string, known: readonly string[]): AppConfig['remoteModules'] {
  const value = env.text(name);
  const remotes: AppConfig['remoteModules'] = {};
  if (value === null) return remotes;
  for (const entry of value.split(',')) {
    const match = /^\s*([a-z][a-z0-9-]*)\s*=\s*([^@\s]+)(?:@(\d{1,3}))?\s*$/.exec(entry);
    if (!match) throw new ConfigError(`${name} entries must look like name=http://host:port[|url2][@weight] (got "${entry}")`);
    const [, rawName, rawUrls, rawWeight] = match;
    const module = moduleName(name, rawName!, known);
    if (remotes[module]) throw new ConfigError(`${name} lists module "${module}" twice`);
    const urls = rawUrls!.split('|').map((url) => httpUrl(name, url));
    const weight = rawWeight === undefined ? null : Number(rawWeight);
    if (weight !== null && weight > 100) throw new ConfigError(`${name} weight for "${module}" must be 0 to 100`);
    remotes[module] = { urls, weight };
  }
  return remotes;
}

function httpUrl(variable: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // fall through to the error below
  }
  throw new ConfigError(`${variable} has an invalid URL "${value}"`);
}
