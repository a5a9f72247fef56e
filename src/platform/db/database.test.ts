// The pool when PostgreSQL goes away: failures are quick and keep being quick (no back-off growing
// to tens of seconds), a session ended under a statement (57P01, as a restart does) leaves no
// stale failure behind, and a transaction that loses its connection neither hangs nor crashes the
// process. test/database-restart.test.ts restarts a whole server under load.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { freePort } from '../free-port.js';
import { connectDatabase, RECONNECT_DELAY_MAX_SECONDS, type Database } from './database.js';
import { connectionLost, databaseUnavailable } from './errors.js';

/** One back-off step and one refused attempt, with slack for a loaded machine. */
const REFUSED_BOUND_MS = RECONNECT_DELAY_MAX_SECONDS * 1000 + 500;

async function timed<T>(work: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  const error = await work.then(
    () => null,
    (failure: unknown) => failure,
  );
  return { ms: performance.now() - started, error };
}

describe('a pool whose server is not there', () => {
  let database: Database;
  beforeAll(async () => {
    database = connectDatabase(`postgres://nobody:secret@127.0.0.1:${await freePort()}/nowhere`, { max: 3 });
  });
  afterAll(() => database.close());

  it('fails every query within one back-off step, however many failed before (postgres.js alone grows its wait to 20 s)', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const { ms, error } = await timed(database.ping());
      expect(databaseUnavailable(error), String(error)).toBe(true);
      expect(ms).toBeLessThan(REFUSED_BOUND_MS);
    }
  });

  it('fails queries waiting for a connection quickly too, and drizzle queries and transactions alike', async () => {
    const started = performance.now();
    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => timed(database.ping())),
      timed(database.db.execute(sql`select 1`)),
      timed(database.db.transaction(async (tx) => tx.execute(sql`select 1`))),
    ]);
    for (const { error } of results) expect(databaseUnavailable(error), String(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(3 * REFUSED_BOUND_MS);
  });
});

describe('a pool whose sessions the server ends (57P01, as on a restart)', () => {
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase();
  });

  /** Ends the sessions of one pool, as a fast shutdown does, and returns how many there were. */
  async function terminate(applicationName: string, state?: string): Promise<number> {
    const rows = await query<{ ended: boolean }>(
      url,
      `select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = $1 ${state ? 'and state = $2' : ''}`,
      state ? [applicationName, state] : [applicationName],
    );
    return rows.filter((row) => row.ended).length;
  }

  async function busySessions(applicationName: string, count: number): Promise<void> {
    await waitFor(
      async () =>
        (await query<{ n: number }>(url, `select count(*)::int as n from pg_stat_activity where application_name = $1 and state = 'active'`, [applicationName]))[0]!.n >= count,
      { what: `${count} active sessions of ${applicationName}` },
    );
  }

  it('answers the statements that were running with a connection error, then works at once, with no stale failure', async () => {
    const name = `pool-${randomUUID().slice(0, 8)}`;
    const replaced: unknown[] = [];
    const database = connectDatabase(url, { max: 3, applicationName: name, onReplaced: (error) => replaced.push(error) });
    try {
      const running = [1, 2, 3].map((n) => timed(database.sql`select pg_sleep(10), ${n}::int`));
      await busySessions(name, 3);
      expect(await terminate(name)).toBe(3);
      for (const { ms, error } of await Promise.all(running)) {
        expect(databaseUnavailable(error) && connectionLost(error), String(error)).toBe(true);
        expect(ms).toBeLessThan(10_000);
      }
      // postgres.js 3.4.9 alone: the first statement on each of those connections fails with the old 57P01.
      for (let n = 0; n < 6; n++) expect((await database.sql<Array<{ n: number }>>`select ${n}::int as n`)[0]!.n).toBe(n);
      const together = await Promise.all([1, 2, 3, 4].map((n) => database.db.execute(sql`select pg_sleep(0.05), ${n}::int as n`)));
      expect(together).toHaveLength(4);
      expect(replaced.length).toBeGreaterThanOrEqual(1);
    } finally {
      await database.close();
    }
  });

  it('rejects a transaction whose session ends, at once, without writing to the dead connection, and goes on', async () => {
    const name = `tx-${randomUUID().slice(0, 8)}`;
    const database = connectDatabase(url, { max: 2, applicationName: name });
    try {
      // Ended mid-statement: postgres.js would answer with a ROLLBACK on the closed socket.
      const midStatement = timed(database.db.transaction(async (tx) => tx.execute(sql`select pg_sleep(10)`)));
      // Ended between statements (idle in transaction): its next statement and its COMMIT must not be sent.
      let between = false;
      const betweenStatements = timed(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          between = true;
          await waitFor(async () => !between, { what: 'the session to be ended' });
          await tx.execute(sql`select 2`);
        }),
      );
      await busySessions(name, 1);
      await waitFor(async () => between, { what: 'the second transaction to be between statements' });
      expect(await terminate(name)).toBe(2);
      between = false;
      for (const { ms, error } of await Promise.all([midStatement, betweenStatements])) {
        expect(databaseUnavailable(error), String(error)).toBe(true);
        expect(ms).toBeLessThan(5000);
      }
      // Nothing uncaught happened (vitest fails the file if so), and the pool works.
      const value = await database.db.transaction(async (tx) => (await tx.execute(sql`select 42 as answer`))[0]);
      expect(value).toEqual({ answer: 42 });
      // A savepoint's failure still rolls back to it and the transaction goes on.
      const afterSavepoint = await database.db.transaction(async (tx) => {
        await tx.transaction(async (savepoint) => savepoint.execute(sql`select 1 / 0`)).catch(() => {});
        return (await tx.execute(sql`select 7 as n`))[0];
      });
      expect(afterSavepoint).toEqual({ n: 7 });
    } finally {
      await database.close();
    }
  });

  it('leaves a pool alone whose statements fail for other reasons', async () => {
    const replaced: unknown[] = [];
    const database = connectDatabase(url, { max: 2, onReplaced: (error) => replaced.push(error) });
    try {
      await expect(database.sql`select 1 / 0`).rejects.toMatchObject({ code: '22012' });
      await expect(database.db.transaction(async (tx) => tx.execute(sql`select * from no_such_table`))).rejects.toThrow();
      expect(replaced).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

describe('database errors', () => {
  const wrapped = (cause: unknown) => new DrizzleQueryError('select 1', [], cause as Error);

  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['refused on every address', new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'connect failed')],
    ['a connection attempt that timed out', Object.assign(new Error('write CONNECT_TIMEOUT'), { code: 'CONNECT_TIMEOUT' })],
    ['the session ended by a shutdown (57P01)', wrapped(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))],
    ['a server starting up (57P03)', wrapped(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))],
    ['a connection closed under a statement', wrapped(Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }))],
    ['a pool that was ended', Object.assign(new Error('write CONNECTION_ENDED'), { code: 'CONNECTION_ENDED' })],
    ['a connection exception (08006)', { code: '08006', message: 'connection failure' }],
    ['node-postgres losing its connection', new Error('Connection terminated unexpectedly')],
    ['node-postgres waiting too long for one', new Error('timeout exceeded when trying to connect')],
  ])('%s is the database being unavailable', (_what, error) => {
    expect(databaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', wrapped(Object.assign(new Error('duplicate key'), { code: '23505' }))],
    ['a division by zero', wrapped(Object.assign(new Error('division by zero'), { code: '22012' }))],
    ['a plain error', new Error('boom')],
    ['nothing', undefined],
  ])('%s is not', (_what, error) => {
    expect(databaseUnavailable(error)).toBe(false);
  });

  it('tells a session lost under a statement from a connection attempt that failed', () => {
    expect(connectionLost(wrapped(Object.assign(new Error('closed'), { code: 'CONNECTION_CLOSED' })))).toBe(true);
    expect(connectionLost({ code: '57P01' })).toBe(true);
    expect(connectionLost({ code: 'ECONNRESET' })).toBe(true);
    expect(connectionLost({ code: 'ECONNREFUSED' })).toBe(false);
    expect(connectionLost({ code: '57P03' })).toBe(false);
    expect(connectionLost({ code: 'CONNECT_TIMEOUT' })).toBe(false);
  });
});
