// Work that pg-boss hands the bus: parked events being retried (and events left in the queues by a
// release before the event log) and timers firing. These are the rare paths, so each job runs in a
// savepoint of its batch's transaction and claims its event in the module's inbox: pg-boss may hand
// a job out again after its transaction committed (a process killed before completing it), and the
// inbox makes that second delivery change nothing. A savepoint that fails rolls back only its job.
import type { JobResult, JobWithMetadata } from 'pg-boss';
import type { Db, Tx } from '../db/database.js';
import { safeErrorMessage } from '../logging/error-serializer.js';
import type { Logger } from '../logging/logger.js';
import type { HandledOutcome } from '../observability/shop-metrics.js';
import { handlerStarted, recordOutcomes } from './delivery-metrics.js';
import { EventSchemaError } from './event-definition.js';
import type { EventEnvelope } from './event-envelope.js';
import { appendEvents } from './event-log.js';
import { inConsumerSpan, markDuplicateDelivery } from './event-spans.js';
import { claimInInbox } from './inbox.js';

export interface JobTarget {
  /** The park queue (`<module>.<subscription>`) or the timer's queue. */
  queue: string;
  module: string;
  /** The module's Postgres schema, where its inbox lives. */
  schema: string;
  /** The number of a job's first run: 2 for a parked event (its batch's attempt was the first), 1 for a timer. */
  firstAttempt: 1 | 2;
}

export interface JobDeliveryDeps {
  logger: Logger;
  db: Db;
  /** The event as the subscription reads it (throws EventSchemaError); a timer's envelope as it is. */
  asRead(event: EventEnvelope): EventEnvelope;
  apply(tx: Tx, event: EventEnvelope, published: EventEnvelope[]): Promise<void>;
  committed(published: readonly EventEnvelope[]): void;
}

export async function deliverJobs(target: JobTarget, deps: JobDeliveryDeps, jobs: JobWithMetadata<EventEnvelope>[]): Promise<JobResult[]> {
  const results = new Map<string, JobResult>();
  const duplicates = new Set<string>();
  const published: EventEnvelope[] = [];
  let outcomes: JobResult[];
  try {
    await deps.db.transaction(async (tx) => {
      for (const job of jobs) {
        const attempt = target.firstAttempt + job.retryCount;
        const result = await inConsumerSpan(target.queue, target.module, job.data, attempt, () => applyInSavepoint(tx, target, deps, job, published, duplicates));
        results.set(job.id, result);
      }
    });
    deps.committed(published);
    outcomes = jobs.map((job) => results.get(job.id)!);
  } catch (error) {
    const message = safeErrorMessage(error);
    deps.logger.warn({ queue: target.queue, events: jobs.length, err: error }, 'a batch of parked events could not be committed; each will be retried or dead-lettered');
    // An event that does not fit its schema is dead-lettered whatever happened to the others.
    outcomes = jobs.map((job) =>
      results.get(job.id)?.status === 'deadletter' ? results.get(job.id)! : { id: job.id, status: 'failed', output: { message, attempts: target.firstAttempt + job.retryCount } },
    );
  }
  recordOutcomes(
    target.queue,
    jobs.map((job, index) => outcomeOf(job, outcomes[index]!, duplicates)),
  );
  return outcomes;
}

async function applyInSavepoint(
  tx: Tx,
  target: JobTarget,
  deps: JobDeliveryDeps,
  job: JobWithMetadata<EventEnvelope>,
  published: EventEnvelope[],
  duplicates: Set<string>,
): Promise<JobResult & { message?: string }> {
  const ended = handlerStarted(target.queue, job.data, false);
  try {
    const event = deps.asRead(job.data);
    const applied = await tx.transaction(async (savepoint) => {
      if (!(await claimInInbox(savepoint, target.schema, target.queue, event.id, event.type))) return false;
      const ownEvents: EventEnvelope[] = [];
      await deps.apply(savepoint, event, ownEvents);
      await appendEvents(savepoint, ownEvents);
      published.push(...ownEvents);
      return true;
    });
    if (!applied) {
      duplicates.add(job.id);
      markDuplicateDelivery();
      deps.logger.debug({ queue: target.queue, eventId: event.id }, 'event already handled; skipped');
    }
    return { id: job.id, status: 'completed' };
  } catch (error) {
    if (error instanceof EventSchemaError) {
      deps.logger.error({ queue: target.queue, eventId: job.data.id, eventType: job.data.type, reason: error.message }, 'event does not fit its schema; dead-lettered');
      // Refused on sight, never run: one attempt, however often the refusal was checked.
      return { id: job.id, status: 'deadletter', output: { message: error.message, attempts: 1 }, message: error.message };
    }
    // Stored with the job, where operators read dead letters: no SQL values there either.
    const message = safeErrorMessage(error);
    deps.logger.warn(
      { queue: target.queue, eventId: job.data.id, eventType: job.data.type, attempt: target.firstAttempt + job.retryCount, err: error },
      'event handler failed; it will be retried or dead-lettered',
    );
    // The output is what the dead letter keeps: its reason, and how many runs the handler had.
    return { id: job.id, status: 'failed', output: { message, attempts: target.firstAttempt + job.retryCount }, message };
  } finally {
    ended();
  }
}

function outcomeOf(job: JobWithMetadata<EventEnvelope>, result: JobResult, duplicates: ReadonlySet<string>): HandledOutcome {
  if (result.status === 'deadletter') return 'dead_lettered';
  if (result.status === 'failed') return job.retryCount >= job.retryLimit ? 'dead_lettered' : 'failed';
  return duplicates.has(job.id) ? 'duplicate' : 'completed';
}
