// The HTTP platform's settings: how long clients may take, who may read /metrics, the request
// limit per client address on every route, and which proxies' x-forwarded-* headers are believed.
import type { EnvReader } from '../config/env-reader.js';

export interface HttpConfig {
  /** The whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  /** The headers must arrive within this. */
  headersTimeoutMs: number;
  /** An idle socket (no bytes either way) is closed after this. */
  connectionTimeoutMs: number;
  metrics: MetricsConfig;
  /** Requests per client address, every route (off in development and tests by default); 0 turns it off. */
  rateLimit: { max: number; windowMs: number };
  /** Addresses of proxies (a gateway) whose x-forwarded-* headers are believed; false for none. */
  trustProxy: string[] | false;
}

export interface MetricsConfig {
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  token: string | null;
  /** When set, `/metrics` is served on this port only (loopback or HOST), not on the API port. */
  port: number | null;
}

export function readHttpConfig(env: EnvReader): HttpConfig {
  return {
    requestTimeoutMs: env.integer('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    headersTimeoutMs: env.integer('HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    connectionTimeoutMs: env.integer('CONNECTION_TIMEOUT_MS', 60_000, 100, 3_600_000),
    metrics: {
      token: env.secret('METRICS_TOKEN', { always: true }),
      port: env.text('METRICS_PORT') === null ? null : env.integer('METRICS_PORT', 0, 1, 65535),
    },
    rateLimit: {
      max: env.integer('RATE_LIMIT_MAX', env.production ? 1200 : 0, 0, 10_000_000),
      windowMs: env.integer('RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
    trustProxy: trustProxy(env.text('TRUST_PROXY')),
  };
}

function trustProxy(value: string | null): string[] | false {
  if (value === null || value === 'false') return false;
  return value.split(',').map((part) => part.trim()).filter(Boolean);
}
