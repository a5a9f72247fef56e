// Park and advance: an event whose handler failed in its batch (or that does not fit its schema)
// becomes a job in its subscription's park queue, inserted in the batch's own transaction, and the
// subscription's checkpoint moves past it; the events after it are not held up. pg-boss then does
// what a job queue does best: retries it with exponential back-off and jitter, and moves it to the
// subscription's dead-letter queue after the last retry, where operators list and redrive it.
//
// The park queue is named as the subscription (`<module>.<subscription>`): before the event log,
// that queue carried every delivery, so a database upgraded from then still has its waiting events
// and dead letters there, and they are delivered (once, through the inbox) like parked ones.
import type { JobInsert, PgBoss, Queue } from 'pg-boss';
import type { Tx } from '../db/database.js';
import { sql } from 'drizzle-orm';
import { fromDrizzle } from 'pg-boss';
import type { EventEnvelope } from './event-envelope.js';
import type { EventsConfig } from './events-config.js';

export function deadLetterQueue(queue: string): string {
  return `${queue}.dead-letter`;
}

const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * Attempts a parked event gets, after the one in its batch failed: EVENTS_RETRY_LIMIT in all, and
 * at least one (a parked job always runs once: that is where a misfit is dead-lettered with its reason).
 */
export function parkedRetryLimit(config: EventsConfig): number {
  return Math.max(0, config.retryLimit - 1);
}

/**
 * The park queue of a subscription (or a timer's queue) and its dead-letter queue. A timer's first
 * run is a job of its queue, not a batch's attempt, so it passes EVENTS_RETRY_LIMIT as its retries.
 */
export async function ensureParkQueue(boss: PgBoss, queue: string, config: EventsConfig, retryLimit = parkedRetryLimit(config)): Promise<void> {
  await boss.createQueue(deadLetterQueue(queue), { retentionSeconds: DEAD_LETTER_RETENTION_SECONDS });
  const options: Omit<Queue, 'name'> = {
    retryLimit,
    retryDelay: config.retryDelaySeconds,
    retryBackoff: true, // exponential, with pg-boss's jitter
    retryDelayMax: config.retryDelayMaxSeconds,
    deadLetter: deadLetterQueue(queue),
    heartbeatSeconds: config.heartbeatSeconds,
  };
  await boss.createQueue(queue, options);
}

export interface ParkedEvent {
  envelope: EventEnvelope;
  /** Run again at once (a misfit, to be dead-lettered with its reason), or after the first back-off. */
  now: boolean;
}

/** Parks events in `queue` from the batch's transaction: one statement for all of them. */
export async function parkEvents(boss: PgBoss, tx: Tx, queue: string, parked: readonly ParkedEvent[], config: EventsConfig): Promise<void> {
  if (parked.length === 0) return;
  const jobs: JobInsert[] = parked.map(({ envelope, now }) => ({
    // The event id: parking it again (after a rewind) while it still waits adds nothing.
    id: envelope.id,
    data: envelope,
    retryLimit: parkedRetryLimit(config),
    retryDelay: config.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: config.retryDelayMaxSeconds,
    startAfter: now ? 0 : Math.max(1, Math.round(config.retryDelaySeconds * (0.5 + Math.random() / 2))),
  }));
  await boss.insert(queue, jobs, { db: fromDrizzle(tx, sql) });
}
