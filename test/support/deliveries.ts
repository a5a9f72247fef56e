// Where an event stands for a subscription, read from the event log, the subscription's checkpoint
// and its park queue: what tests wait on now that the normal path writes no inbox row.
// - dealt with: the checkpoint has passed the event (applied in its batch, or parked, or sent to be
//   dead-lettered) and it is not waiting in the park queue;
// - a subscription has "applied" the events of its types it has dealt with, less those parked or
//   dead-lettered.
import postgres from 'postgres';

type Sql = postgres.Sql;

/** One short-lived connection for a check (the app's own pools are the app's). */
async function withSql<T>(url: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** True once `subscription` has dealt with the event and it waits in no park queue (dead letters excepted). */
export function dealtWith(url: string, subscription: string, eventId: string): Promise<boolean> {
  return withSql(url, async (sql) => {
    const [row] = await sql<Array<{ passed: boolean; parked: boolean }>>`
      select (log.transaction_id, log.position) <= (checkpoint.transaction_id, checkpoint.position) as passed,
             exists (select 1 from pgboss.job where name = ${subscription} and id = ${eventId}::uuid and state not in ('completed', 'failed', 'cancelled')) as parked
        from events.log log, events.subscriptions checkpoint
       where log.id = ${eventId} and checkpoint.name = ${subscription}`;
    return Boolean(row?.passed && !row.parked);
  });
}

/**
 * How many events of its types `subscription` has applied: those its checkpoint has passed that
 * were never parked, plus parked ones whose retry completed. (Dead letters and waiting retries are not applied.)
 */
export function appliedCount(url: string, subscription: string): Promise<number> {
  return withSql(url, async (sql) => {
    const [row] = await sql<Array<{ count: number }>>`
      select count(*)::int as count
        from events.subscriptions checkpoint
        join events.log log on log.type = any(checkpoint.types)
         and (log.transaction_id, log.position) <= (checkpoint.transaction_id, checkpoint.position)
       where checkpoint.name = ${subscription}
         and not exists (select 1 from pgboss.job job where job.name = ${subscription} and job.id = log.id and job.state <> 'completed')
         and not exists (select 1 from pgboss.job job where job.name = ${`${subscription}.dead-letter`} and job.data->>'id' = log.id::text)`;
    return row!.count;
  });
}

/**
 * The jobs the event ever became for `subscription`, oldest first: in its park queue (parked after
 * its attempt in a batch failed, or as a misfit) and in its dead-letter queue. None means the
 * subscription applied it in its batch, at the first attempt: no retry.
 */
export function parkedJobs(url: string, subscription: string, eventId: string): Promise<Array<{ name: string; state: string }>> {
  return withSql(url, async (sql) => {
    const rows = await sql<Array<{ name: string; state: string }>>`
      select name, state::text as state from pgboss.job
       where name in (${subscription}, ${`${subscription}.dead-letter`}) and data->>'id' = ${eventId}
       order by created_on`;
    return [...rows];
  });
}

/**
 * Events in the log that a subscription reading their type has not dealt with yet (its checkpoint
 * is before them), over every subscription, or only those named. Events of a transaction still in
 * flight are not in the log for anyone yet.
 */
export function eventsWaiting(url: string, subscriptions?: readonly string[]): Promise<number> {
  return withSql(url, async (sql) => {
    const [row] = await sql<Array<{ count: number }>>`
      select count(*)::int as count
        from events.subscriptions checkpoint
        join events.log log on log.type = any(checkpoint.types)
         and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position)
       where ${subscriptions ? sql`checkpoint.name = any(${sql.array([...subscriptions])}::text[])` : sql`true`}`;
    return row!.count;
  });
}
