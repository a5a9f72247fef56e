// Which access tokens no longer open anything: those of users who were suspended or deactivated,
// and those issued before such a change. A token is a signed promise made at sign-in; without this
// view it would outlive the account's status until it expires.
//
// Every process keeps the view in memory and reloads what changed since its last look every
// `refreshMs`, so a revocation reaches every process (replicas, extracted services) within about
// that long after the status change is delivered; the check itself costs no query.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import type { Logger } from '../logging/logger.js';

interface KnownStatus {
  status: string;
  /** Seconds since the epoch, whole (as a token's `iat`). */
  changedAtSeconds: number;
}

// Rows are written with the writer's clock inside its transaction, which may commit a little
// later: each reload looks back this far past the newest row it saw, so none is missed.
const RELOAD_OVERLAP_MS = 10_000;

export interface AccessRevocations {
  /** Why a token of `userId` issued at `issuedAtSeconds` is refused, or null when it still works. */
  refusal(userId: string, issuedAtSeconds: number): string | null;
  /** Loads the whole view once, then keeps it fresh until `stop`. */
  start(): Promise<void>;
  /** Reloads what changed now (tests and start-up use it; the timer does the rest). */
  reload(): Promise<void>;
  stop(): void;
}

export function createAccessRevocations(options: { db: Db; refreshMs: number; logger: Logger }): AccessRevocations {
  const known = new Map<string, KnownStatus>();
  let newestSeen: Date | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function reload(): Promise<void> {
    const since = newestSeen ? new Date(newestSeen.getTime() - RELOAD_OVERLAP_MS) : new Date(0);
    const rows = await options.db.execute<{ user_id: string; status: string; changed_at: string; recorded_at: string }>(sql`
      select user_id, status, changed_at, recorded_at from platform.access_revocations
      where recorded_at > ${since.toISOString()}`);
    for (const row of rows) {
      known.set(row.user_id, { status: row.status, changedAtSeconds: Math.floor(new Date(row.changed_at).getTime() / 1000) });
      const recordedAt = new Date(row.recorded_at);
      if (!newestSeen || recordedAt > newestSeen) newestSeen = recordedAt;
    }
  }

  return {
    refusal(userId, issuedAtSeconds) {
      const entry = known.get(userId);
      if (!entry) return null;
      if (entry.status !== 'active') return `This account is ${entry.status}`;
      // Reactivated: tokens from before the change stay revoked; sign in again for a new one.
      if (issuedAtSeconds < entry.changedAtSeconds) return 'This token was issued before a change to the account; sign in again';
      return null;
    },
    async start() {
      await reload();
      timer = setInterval(() => {
        reload().catch((error: unknown) => options.logger.warn({ err: error }, 'could not reload access revocations; keeping the last view'));
      }, options.refreshMs);
      timer.unref();
    },
    reload,
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
