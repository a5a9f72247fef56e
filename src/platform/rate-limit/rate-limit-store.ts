// Fixed-window counters in PostgreSQL (platform.rate_limit_counters), so every replica of every
// process counts into the same window. Each change is one statement: concurrent requests on any
// replica cannot lose a hit or both see the window as new.
import type { Sql } from 'postgres';

export interface WindowCount {
  /** Hits in the current window, this one included. */
  hits: number;
  /** When the window ends; identifies the window to `giveBack`. */
  resetsAt: Date;
  /** Milliseconds until it ends, by the database's clock (replicas' clocks may differ). */
  msLeft: number;
}

export interface RateLimitStore {
  /** Counts one hit for `key`, opening a new window of `windowMs` when there is none or it ended. */
  increment(key: string, windowMs: number): Promise<WindowCount>;
  /** Takes back a hit counted by `increment`, unless its window has since ended. */
  giveBack(key: string, count: WindowCount): Promise<void>;
  /** Deletes up to `limit` ended windows; returns how many. */
  deleteExpired(limit: number): Promise<number>;
}

export function createRateLimitStore(sql: Sql): RateLimitStore {
  return {
    async increment(key, windowMs) {
      // Windows end on a whole millisecond so that the Date handed back names the row exactly.
      const [row] = await sql<Array<{ hits: number; resets_at: Date; ms_left: number }>>`
        insert into platform.rate_limit_counters as counter (key, hits, resets_at)
        values (${key}, 1, date_trunc('milliseconds', now() + ${windowMs}::int * interval '1 millisecond'))
        on conflict (key) do update set
          hits = case when counter.resets_at <= now() then 1 else counter.hits + 1 end,
          resets_at = case when counter.resets_at <= now() then excluded.resets_at else counter.resets_at end
        returning hits, resets_at, ceil(extract(epoch from resets_at - now()) * 1000)::int as ms_left`;
      return { hits: row!.hits, resetsAt: row!.resets_at, msLeft: Math.max(0, row!.ms_left) };
    },

    async giveBack(key, count) {
      await sql`
        update platform.rate_limit_counters set hits = hits - 1
        where key = ${key} and resets_at = ${count.resetsAt} and hits > 0`;
    },

    async deleteExpired(limit) {
      const rows = await sql`
        delete from platform.rate_limit_counters
        where key in (select key from platform.rate_limit_counters where resets_at <= now() limit ${limit})
          -- checked again on the row itself: a window reopened meanwhile by a hit is kept
          and resets_at <= now()
        returning key`;
      return rows.length;
    },
  };
}
