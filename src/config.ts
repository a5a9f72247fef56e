// One validated configuration, read once from the environment. Every bad value stops start-up
// with a ConfigError whose message is one line naming the variable (main.ts prints only that).
import path from 'node:path';
import { secretWeakness } from './platform/secret-strength.js';

export const MODULE_NAMES = ['users', 'products', 'orders', 'payments'] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

export interface RemoteModule {
  urls: string[];
  /** Percentage of public traffic sent to the remote side when the module is also hosted here. */
  weight: number | null;
}

/** Resilience of calls to remote modules' contracts (one set of policies per remote module). */
export interface RemoteCallsConfig {
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after a failure, for idempotent methods only. */
  retries: number;
  /** Consecutive failed calls that open the circuit. */
  breakerThreshold: number;
  /** How long the circuit stays open before one trial call may go through. */
  halfOpenAfterMs: number;
  /** Calls in flight at once. */
  bulkheadLimit: number;
  /** Calls waiting for a slot; beyond that, calls are refused at once. */
  bulkheadQueue: number;
}

export interface EventsConfig {
  retryLimit: number;
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  pollingIntervalSeconds: number;
  /** Heartbeat that lets another process take over a job whose worker died (pg-boss minimum 10). */
  heartbeatSeconds: number;
  /** How often pg-boss looks for jobs whose heartbeat stopped. */
  superviseIntervalSeconds: number;
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
  accessTokenTtlSeconds: number;
  admin: { email: string; password: string } | null;
  modules: ModuleName[];
  remoteModules: Partial<Record<ModuleName, RemoteModule>>;
  remoteCalls: RemoteCallsConfig;
  events: EventsConfig;
  shutdownTimeoutMs: number;
  /** Addresses of proxies (a gateway) whose x-forwarded-* headers are believed; false for none. */
  trustProxy: string[] | false;
  http: HttpLimitsConfig;
  metrics: MetricsConfig;
  rateLimits: RateLimitsConfig;
  /** How often each process reloads the users whose access was revoked (suspended, inactive). */
  accessRevocationRefreshMs: number;
  orders: OrdersConfig;
  payments: PaymentsConfig;
}

/** Abuse limits, counted in PostgreSQL so every replica shares them. A `max` of 0 turns one off. */
export interface RateLimitsConfig {
  /** Failed sign-ins per client address and account. */
  login: { max: number; windowMs: number };
  /** Failed sign-ins per client address, all accounts together (same window as `login`). */
  loginAddress: { max: number; windowMs: number };
  /** Registrations per client address. */
  registration: { max: number; windowMs: number };
  /** Requests per client address, every route (off in development and tests by default). */
  global: { max: number; windowMs: number };
}

/** Bounds on how long a client may take to send a request. */
export interface HttpLimitsConfig {
  /** The whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  /** The headers must arrive within this. */
  headersTimeoutMs: number;
  /** An idle socket (no bytes either way) is closed after this. */
  connectionTimeoutMs: number;
}

export interface MetricsConfig {
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  token: string | null;
  /** When set, `/metrics` is served on this port only (loopback or HOST), not on the API port. */
  port: number | null;
}

export interface OrdersConfig {
  /** An order still awaiting payment after this is cancelled by the system. */
  paymentTimeoutSeconds: number;
  /** Orders a customer may hold in pending or awaiting_payment; 0 for no limit. */
  maxOpenOrdersPerCustomer: number;
}

export const CARD_GATEWAYS = ['simulated'] as const;
export type CardGatewayName = (typeof CARD_GATEWAYS)[number];

export interface PaymentsConfig {
  cardGateway: CardGatewayName;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';
  const config: AppConfig = {
    env: nodeEnv,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: text(env, 'HOST') ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: postgresUrl(env, 'DATABASE_URL'),
    moduleDatabaseRoles: oneOf(env, 'DATABASE_MODULE_ROLES', ['on', 'off'], 'on') === 'on',
    dataDir: path.resolve(text(env, 'DATA_DIR') ?? '.data'),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    jwtSecret: secret(env, 'JWT_SECRET', production),
    serviceTokenSecret: secret(env, 'SERVICE_TOKEN_SECRET', production),
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86_400),
    admin: adminAccount(env),
    modules: moduleList(env, 'MODULES'),
    remoteModules: remoteModules(env, 'REMOTE_MODULES'),
    remoteCalls: {
      timeoutMs: integer(env, 'REMOTE_TIMEOUT_MS', 1000, 10, 60_000),
      retries: integer(env, 'REMOTE_RETRIES', 2, 0, 10),
      breakerThreshold: integer(env, 'REMOTE_BREAKER_THRESHOLD', 5, 1, 1000),
      halfOpenAfterMs: integer(env, 'REMOTE_BREAKER_HALF_OPEN_MS', 10_000, 100, 600_000),
      bulkheadLimit: integer(env, 'REMOTE_BULKHEAD_LIMIT', 10, 1, 10_000),
      bulkheadQueue: integer(env, 'REMOTE_BULKHEAD_QUEUE', 20, 0, 100_000),
    },
    events: {
      retryLimit: integer(env, 'EVENTS_RETRY_LIMIT', 5, 0, 100),
      retryDelaySeconds: integer(env, 'EVENTS_RETRY_DELAY_SECONDS', 2, 1, 3600),
      retryDelayMaxSeconds: integer(env, 'EVENTS_RETRY_DELAY_MAX_SECONDS', 300, 1, 86_400),
      pollingIntervalSeconds: number(env, 'EVENTS_POLLING_INTERVAL_SECONDS', 2, 0.5, 60),
      heartbeatSeconds: integer(env, 'EVENTS_HEARTBEAT_SECONDS', 10, 10, 3600),
      superviseIntervalSeconds: integer(env, 'EVENTS_SUPERVISE_INTERVAL_SECONDS', 2, 1, 3600),
    },
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    trustProxy: trustProxy(env, 'TRUST_PROXY'),
    http: {
      requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
      headersTimeoutMs: integer(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      connectionTimeoutMs: integer(env, 'CONNECTION_TIMEOUT_MS', 60_000, 100, 3_600_000),
    },
    metrics: {
      token: optionalSecret(env, 'METRICS_TOKEN'),
      port: text(env, 'METRICS_PORT') === null ? null : integer(env, 'METRICS_PORT', 0, 1, 65535),
    },
    rateLimits: rateLimits(env, production),
    accessRevocationRefreshMs: integer(env, 'ACCESS_REVOCATION_REFRESH_MS', 1000, 50, 60_000),
    orders: {
      paymentTimeoutSeconds: integer(env, 'ORDER_PAYMENT_TIMEOUT_SECONDS', 900, 1, 30 * 86_400),
      maxOpenOrdersPerCustomer: integer(env, 'MAX_OPEN_ORDERS_PER_CUSTOMER', 5, 0, 10_000),
    },
    payments: {
      cardGateway: cardGateway(env, production),
    },
  };
  checkTopology(config);
  checkProductionSafety(config);
  return config;
}

function rateLimits(env: Env, production: boolean): RateLimitsConfig {
  const loginWindowMs = integer(env, 'LOGIN_RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000);
  return {
    login: { max: integer(env, 'LOGIN_RATE_LIMIT_MAX', 10, 0, 1_000_000), windowMs: loginWindowMs },
    loginAddress: { max: integer(env, 'LOGIN_ADDRESS_RATE_LIMIT_MAX', 30, 0, 1_000_000), windowMs: loginWindowMs },
    registration: {
      max: integer(env, 'REGISTRATION_RATE_LIMIT_MAX', 20, 0, 1_000_000),
      windowMs: integer(env, 'REGISTRATION_RATE_LIMIT_WINDOW_MS', 3_600_000, 1000, 86_400_000),
    },
    global: {
      max: integer(env, 'RATE_LIMIT_MAX', production ? 1200 : 0, 0, 10_000_000),
      windowMs: integer(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
  };
}

// Production must not start on a configuration anyone could guess: secrets that forge tokens, a
// card gateway nobody chose, and metrics open to the internet.
function checkProductionSafety(config: AppConfig): void {
  if (config.env !== 'production') return;
  if (config.jwtSecret !== null && config.jwtSecret === config.serviceTokenSecret) {
    throw new ConfigError('JWT_SECRET and SERVICE_TOKEN_SECRET must differ: one signs user tokens, the other service tokens');
  }
  if (config.metrics.token !== null && [config.jwtSecret, config.serviceTokenSecret].includes(config.metrics.token)) {
    throw new ConfigError('METRICS_TOKEN must differ from JWT_SECRET and SERVICE_TOKEN_SECRET');
  }
  if (config.metrics.token === null && config.metrics.port === null) {
    throw new ConfigError('METRICS_TOKEN or METRICS_PORT is required when NODE_ENV=production: /metrics must not be open to anyone who reaches the API');
  }
}

function cardGateway(env: Env, production: boolean): CardGatewayName {
  if (production && text(env, 'CARD_GATEWAY') === null) {
    throw new ConfigError(`CARD_GATEWAY is required when NODE_ENV=production (one of ${CARD_GATEWAYS.join(', ')})`);
  }
  return oneOf(env, 'CARD_GATEWAY', CARD_GATEWAYS, 'simulated');
}

// A module served here and elsewhere splits its traffic by weight; without one it is ambiguous.
function checkTopology(config: AppConfig): void {
  for (const [module, remote] of Object.entries(config.remoteModules)) {
    const hosted = config.modules.includes(module as ModuleName);
    if (hosted && remote.weight === null) {
      throw new ConfigError(`REMOTE_MODULES names ${module}, which MODULES hosts too: give it a weight (${module}=url@10) to move traffic gradually, or drop it from one of them`);
    }
    if (!hosted && remote.weight !== null) {
      throw new ConfigError(`REMOTE_MODULES gives ${module} a weight, but MODULES does not host it: all its traffic goes to the remote side`);
    }
  }
}

function trustProxy(env: Env, name: string): string[] | false {
  const value = text(env, name);
  if (value === null || value === 'false') return false;
  return value.split(',').map((part) => part.trim()).filter(Boolean);
}

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = text(env, name);
  if (value === null) return fallback;
  if (!allowed.includes(value as T)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === null) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max} (got "${value}")`);
  }
  return parsed;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = number(env, name, fallback, min, max);
  if (!Number.isInteger(value)) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${env[name]}")`);
  }
  return value;
}

function postgresUrl(env: Env, name: string): string | null {
  const value = text(env, name);
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

function secret(env: Env, name: string, production: boolean): string | null {
  const value = text(env, name);
  if (value === null) {
    if (production) throw new ConfigError(`${name} is required when NODE_ENV=production`);
    return null; // generated and kept in DATA_DIR (see platform/secrets.ts)
  }
  if (value.length < 32) throw new ConfigError(`${name} must be at least 32 characters long`);
  if (production) {
    const weakness = secretWeakness(value);
    if (weakness) throw new ConfigError(`${name} ${weakness}; generate one with: openssl rand -base64 48`);
  }
  return value;
}

function optionalSecret(env: Env, name: string): string | null {
  const value = text(env, name);
  if (value === null) return null;
  if (value.length < 32) throw new ConfigError(`${name} must be at least 32 characters long`);
  const weakness = secretWeakness(value);
  if (weakness) throw new ConfigError(`${name} ${weakness}; generate one with: openssl rand -base64 48`);
  return value;
}

function adminAccount(env: Env): AppConfig['admin'] {
  const email = text(env, 'ADMIN_EMAIL')?.toLowerCase() ?? null;
  const password = env.ADMIN_PASSWORD ?? null;
  if (email === null && password === null) return null;
  if (email === null) throw new ConfigError('ADMIN_EMAIL must be set together with ADMIN_PASSWORD');
  if (password === null) throw new ConfigError('ADMIN_PASSWORD must be set together with ADMIN_EMAIL');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ConfigError('ADMIN_EMAIL must be an email address');
  if (password.length < 8 || password.length > 128) {
    throw new ConfigError('ADMIN_PASSWORD must be 8 to 128 characters long');
  }
  return { email, password };
}

function moduleName(variable: string, value: string): ModuleName {
  if (!MODULE_NAMES.includes(value as ModuleName)) {
    throw new ConfigError(`${variable} names an unknown module "${value}" (known: ${MODULE_NAMES.join(', ')})`);
  }
  return value as ModuleName;
}

function moduleList(env: Env, name: string): ModuleName[] {
  const value = text(env, name);
  if (value === null) return [...MODULE_NAMES];
  const modules = value.split(',').map((part) => moduleName(name, part.trim()));
  if (new Set(modules).size !== modules.length) throw new ConfigError(`${name} lists a module twice`);
  return modules;
}

// name=url[|url2][@weight],…
function remoteModules(env: Env, name: string): AppConfig['remoteModules'] {
  const value = text(env, name);
  const remotes: AppConfig['remoteModules'] = {};
  if (value === null) return remotes;
  for (const entry of value.split(',')) {
    const match = /^\s*([a-z]+)\s*=\s*([^@\s]+)(?:@(\d{1,3}))?\s*$/.exec(entry);
    if (!match) throw new ConfigError(`${name} entries must look like name=http://host:port[|url2][@weight] (got "${entry}")`);
    const [, rawName, rawUrls, rawWeight] = match;
    const module = moduleName(name, rawName!);
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
