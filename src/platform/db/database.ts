// The connection pool (postgres.js) and the drizzle instance every module queries through.
//
// When PostgreSQL goes away (a restart, a failover) a pool must neither hang its callers nor be
// slow to come back. postgres.js's defaults do both: a connection attempt may take 30 s, and the
// wait between attempts grows to 20 s (3^n / 100 s), so queries issued during an outage were
// answered 14-18 s after the server was back. And postgres.js 3.4.9 keeps state of a session that
// ended under a statement (its error, its pending write) into the connection's next session: after
// a restart, the first statement of each such connection failed with the old 57P01, or its
// connection attempts never completed. What is done instead (see "When PostgreSQL goes away" in
// the README):
// - a query that needs a connection waits at most one back-off step (≤ 0.5 s) plus one connection
//   attempt (≤ 2 s) before it fails with a connection error (ECONNREFUSED, CONNECT_TIMEOUT, 57P03,
//   …), which the HTTP layer answers with a 503 (see errors.ts, databaseUnavailable);
// - a pool one of whose sessions ended under a statement (57P01, CONNECTION_CLOSED, ECONNRESET) is
//   replaced at once by a fresh pool, which connects when next asked, on the same back-off; the
//   old one is ended, its connections never reused. So a pool works again within about a second
//   of the server accepting connections, with no stale failure after it;
// - a transaction whose connection dies writes nothing more to it (safe-transactions.ts): that
//   write crashed the process and left the connection unable to connect again;
// - idle connections are closed after 30 s and none lives longer than 10-15 min, so a pool never
//   keeps a socket that silently died for long, and follows a moved server (DNS) within minutes.
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { connectionLost } from './errors.js';
import { driverClient, reportingFailure, type PoolSource } from './safe-transactions.js';

export type Db = PostgresJsDatabase;
/** A drizzle transaction, as handed to code that must write inside one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  sql: Sql;
  db: Db;
  /** One round trip on the pool (`select 1`): rejects while the pool cannot reach the server. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  max?: number;
  applicationName?: string;
  /** A role every session of the pool switches to (see module-roles.ts). */
  role?: string;
  /** The process's name in its sessions' `shop.instance` setting: the event log's notifications carry it. */
  instance?: string;
  /** Told when the pool was replaced because a session ended under a statement (for the log). */
  onReplaced?: (error: unknown) => void;
}

/** How long one connection attempt (TCP, then authentication) may take before it fails. */
export const CONNECT_TIMEOUT_SECONDS = 2;
/** The longest wait between a pool's connection attempts (postgres.js's own grows to 20 s). */
export const RECONNECT_DELAY_MAX_SECONDS = 0.5;
/** An idle connection is closed after this long; the next query opens a fresh one. */
export const IDLE_TIMEOUT_SECONDS = 30;
/** No connection lives longer than this (plus up to half again, so a pool's connections do not all end at once). */
export const MAX_LIFETIME_SECONDS = 600;

/**
 * Seconds before a pool's next connection attempt, after `failures` failed ones in a row (reset by
 * a successful connection): 50 ms doubling up to RECONNECT_DELAY_MAX_SECONDS, with jitter so that
 * pools and replicas do not knock in step. Attempts are made only for queries waiting for a
 * connection, so a short cap costs the server nothing while nobody asks.
 */
export function reconnectDelaySeconds(failures: number): number {
  const ceiling = Math.min(0.05 * 2 ** failures, RECONNECT_DELAY_MAX_SECONDS);
  return ceiling * (0.5 + Math.random() / 2);
}

/** The postgres.js settings for connecting and reconnecting, for every pool of the application. */
export function connectionSettings() {
  return {
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    backoff: reconnectDelaySeconds,
    idle_timeout: IDLE_TIMEOUT_SECONDS,
    max_lifetime: MAX_LIFETIME_SECONDS * (1 + Math.random() / 2),
  };
}

/** How long a replaced pool's statements still running get before its connections are cut. */
export const RETIRED_POOL_TIMEOUT_SECONDS = 2;

export function connectDatabase(url: string, options: ConnectOptions = {}): Database {
  const open = () =>
    postgres(url, {
      max: options.max ?? 10,
      ...connectionSettings(),
      onnotice: () => {},
      connection: {
        application_name: options.applicationName ?? 'shop',
        ...(options.role ? { role: options.role } : {}),
        ...(options.instance ? { 'shop.instance': options.instance } : {}),
      },
    });
  const first = open();
  let current = first;
  let closing: Promise<void> | undefined;
  const retiring = new Set<Promise<void>>();

  // A pool one of whose sessions ended under a statement is replaced by a fresh one (see the top).
  const failed = (pool: Sql, error: unknown) => {
    if (pool !== current || closing || !connectionLost(error)) return;
    current = open();
    // drizzle set its type parsers on the first pool's options (driverClient); every pool reads rows alike.
    Object.assign(current.options.parsers, first.options.parsers);
    Object.assign(current.options.serializers, first.options.serializers);
    const retired: Promise<void> = pool
      .end({ timeout: RETIRED_POOL_TIMEOUT_SECONDS })
      .catch(() => {})
      .then(() => {
        retiring.delete(retired);
      });
    retiring.add(retired);
    options.onReplaced?.(error);
  };
  const pools: PoolSource = { current: () => current, failed };
  const sql = poolFacade(pools, () => close());
  const db = drizzle(driverClient(pools));
  const close = () =>
    (closing ??= (async () => {
      await Promise.all([current.end({ timeout: 5 }), ...retiring]);
    })());
  return {
    sql,
    db,
    ping: async () => {
      await sql`select 1`;
    },
    close,
  };
}

// `sql` for callers that use postgres.js directly (the rate-limit counters, health, tests): the
// current pool, its queries reporting failures like drizzle's.
function poolFacade(pools: PoolSource, close: () => Promise<void>): Sql {
  const target = function () {} as unknown as Sql;
  return new Proxy(target, {
    apply(_target, _this, args: unknown[]) {
      const pool = pools.current();
      const result = (pool as unknown as (...args: unknown[]) => unknown)(...args);
      return result instanceof Promise ? reportingFailure(result, (error) => pools.failed(pool, error)) : result;
    },
    get(_target, property) {
      if (property === 'end' || property === 'close') return close;
      const pool = pools.current();
      if (property === 'unsafe') {
        return (...args: Parameters<Sql['unsafe']>) => reportingFailure(pool.unsafe(...args), (error) => pools.failed(pool, error));
      }
      const value: unknown = Reflect.get(pool, property);
      return typeof value === 'function' ? value.bind(pool) : value;
    },
  });
}
