// The client drizzle is given: the current postgres.js pool (see database.ts, which replaces a pool
// that lost connections), with every failure reported, and transactions that survive their
// connection dying under them.
//
// postgres.js 3.4.9 (porsager/postgres#1154, #1208; the fixes, PRs #1168 and #1209, are not
// released) writes to a connection's socket after the socket closed when a transaction's
// connection is lost (a restart ends every session with 57P01): `begin` answers the failed
// statement with a ROLLBACK (or a COMMIT, when the work was between statements), which is queued on
// the closed connection, and the deferred write then dereferences a null socket in a setImmediate.
// That is an uncaught TypeError (it would end the process), and it leaves the connection with a
// stale write timer, so its later connection attempts never send their start-up message and each
// waits out connect_timeout.
//
// So a transaction that has lost its connection issues nothing more on it: once one of its
// statements fails with a connection error, or the transaction itself was rejected because its
// connection closed, its statements are refused (CONNECTION_CLOSED, answered 503) and its
// callback's outcome is withheld from postgres.js, which then never sends the ROLLBACK/COMMIT; the
// caller gets postgres.js's own rejection (the connection closed) at once, and the server rolls
// the transaction back with the session. A connection still open after LOST_GRACE_MS was not lost
// after all: the outcome is then handed on and postgres.js rolls back or commits as usual.
import type { Sql, TransactionSql } from 'postgres';
import { databaseUnavailable } from './errors.js';

const LOST_GRACE_MS = 5000;

/** The pool queries go to now, and where failures are reported (with the pool they happened on). */
export interface PoolSource {
  current(): Sql;
  failed(pool: Sql, error: unknown): void;
}

/** The subset of a postgres.js client drizzle's postgres-js driver uses. */
interface DriverClient {
  options: Sql['options'];
  unsafe(query: string, params?: unknown[], options?: unknown): PendingStatement;
  begin(...args: unknown[]): Promise<unknown>;
  savepoint?(...args: unknown[]): Promise<unknown>;
}

interface PendingStatement extends PromiseLike<unknown> {
  values(): PendingStatement;
}

interface TransactionState {
  lost: boolean;
  /** Whether postgres.js has settled the transaction (committed, rolled back, or given up on its connection). */
  settled: boolean;
}

/**
 * Reports a postgres.js query's failure to `failed` when it settles, leaving it what it was (a
 * Query, with its methods; it still runs only when first awaited).
 */
export function reportingFailure<T extends PromiseLike<unknown>>(query: T, failed: (error: unknown) => void): T {
  const then = query.then;
  Object.defineProperty(query, 'then', {
    configurable: true,
    value(this: T, onFulfilled?: (value: unknown) => unknown, onRejected?: (error: unknown) => unknown) {
      return then.call(this, onFulfilled, (error: unknown) => {
        failed(error);
        if (onRejected) return onRejected(error);
        throw error;
      });
    },
  });
  return query;
}

/** The pools as drizzle's client: queries as usual, transactions guarded (see above). */
export function driverClient(pools: PoolSource): Sql {
  const first = pools.current();
  const client: DriverClient = {
    // drizzle sets its type parsers here once; database.ts copies them into later pools.
    options: first.options,
    unsafe: (query, params, options) => {
      const pool = pools.current();
      return reportingFailure(pool.unsafe(query, params as never[], options as never), (error) => pools.failed(pool, error)) as unknown as PendingStatement;
    },
    begin: (...args) => {
      const pool = pools.current();
      const state: TransactionState = { lost: false, settled: false };
      const work = args.at(-1) as (sql: DriverClient) => unknown;
      const failed = (error: unknown) => pools.failed(pool, error);
      let started = false;
      const guarded = (scope: TransactionSql) => {
        started = true;
        return withheldIfLost(state, () => work(transactionClient(scope as unknown as DriverClient, state, failed)));
      };
      const result = (args.length > 1 ? pool.begin(args[0] as string, guarded) : pool.begin(guarded)) as Promise<unknown>;
      result.then(
        () => {
          state.settled = true;
        },
        (error: unknown) => {
          // Rolled back, or postgres.js gave up on a connection that closed. Only the BEGIN's own
          // failure is reported here: the work's statements report theirs, and anything else it
          // threw (another pool's error, say) says nothing about this pool.
          state.settled = true;
          state.lost = true;
          if (!started) failed(error);
        },
      );
      return result;
    },
  };
  return client as unknown as Sql;
}

function transactionClient(scope: DriverClient, state: TransactionState, failed: (error: unknown) => void): DriverClient {
  return {
    options: scope.options,
    unsafe: (query, params, options) => guardedStatement(state, failed, () => scope.unsafe(query, params, options)),
    begin: () => Promise.reject(new Error('begin inside a transaction: use a savepoint')),
    savepoint: (...args) => {
      if (state.lost) return Promise.reject(lostConnectionError());
      const work = args.at(-1) as (sql: DriverClient) => unknown;
      const guarded = (inner: DriverClient) => withheldIfLost(state, () => work(transactionClient(inner, state, failed)));
      return args.length > 1 ? scope.savepoint!(args[0], guarded) : scope.savepoint!(guarded);
    },
  };
}

// A statement of a transaction: refused once the transaction's connection is lost, and marking it
// lost when it fails with a connection error. postgres.js statements run when first awaited, so
// creating it lazily changes nothing.
function guardedStatement(state: TransactionState, failed: (error: unknown) => void, create: () => PendingStatement): PendingStatement {
  let values = false;
  let running: Promise<unknown> | undefined;
  const run = () =>
    (running ??= state.lost
      ? Promise.reject(lostConnectionError())
      : Promise.resolve((values ? create().values() : create()) as PromiseLike<unknown>).catch((error: unknown) => {
          if (databaseUnavailable(error)) state.lost = true;
          failed(error);
          throw error;
        }));
  const statement: PendingStatement = {
    values() {
      values = true;
      return statement;
    },
    then(onFulfilled, onRejected) {
      return run().then(onFulfilled, onRejected);
    },
  };
  return statement;
}

// The callback's outcome for postgres.js, which answers it with COMMIT or ROLLBACK on the
// connection: withheld while the connection is lost (postgres.js has rejected the transaction
// already, or will when the close arrives), handed on if the connection turns out to be open.
async function withheldIfLost(state: TransactionState, work: () => unknown): Promise<unknown> {
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await work() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (state.lost) {
    await new Promise((resolve) => setTimeout(resolve, LOST_GRACE_MS).unref());
    if (state.settled) return new Promise(() => {}); // the connection closed: nothing may be written to it
  }
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}

function lostConnectionError(): Error {
  return Object.assign(new Error('the transaction lost its database connection'), { code: 'CONNECTION_CLOSED' });
}
