// What the bus reports about one fetched batch, as metrics: how late each event started (first
// attempts of subscriptions only: a retry's lateness is its back-off, a timer's is its delay), how
// long each handler took, and, once the batch's fate is known, each event's outcome.
import type { Job, JobResult } from 'pg-boss';
import { observeDeliveryLag, observeHandlerDuration, recordHandled, type HandledOutcome } from '../observability/shop-metrics.js';
import type { EventEnvelope } from './event-envelope.js';

export class BatchMetrics {
  readonly #duplicates = new Set<string>();

  constructor(
    private readonly queue: string,
    /** Failed attempts beyond this many retries go to the dead-letter queue. */
    private readonly retryLimit: number,
    private readonly isSubscription: boolean,
  ) {}

  /** Call as a job's handling starts; call what it returns when it ends. */
  started(job: Job<EventEnvelope>): () => void {
    const startedAt = performance.now();
    if (this.isSubscription && job.retryCount === 0) {
      observeDeliveryLag(this.queue, (Date.now() - Date.parse(job.data.occurredAt)) / 1000);
    }
    return () => observeHandlerDuration(this.queue, (performance.now() - startedAt) / 1000);
  }

  /** The inbox had the job's event already. */
  duplicate(job: Job<EventEnvelope>): void {
    this.#duplicates.add(job.id);
  }

  /** Counts each job's outcome, as returned to pg-boss (after the batch committed, or did not). */
  finished(jobs: readonly Job<EventEnvelope>[], results: readonly JobResult[]): void {
    results.forEach((result, index) => recordHandled(this.queue, this.#outcome(jobs[index]!, result)));
  }

  #outcome(job: Job<EventEnvelope>, result: JobResult): HandledOutcome {
    if (result.status === 'deadletter') return 'dead_lettered';
    if (result.status === 'failed') return job.retryCount >= this.retryLimit ? 'dead_lettered' : 'failed';
    return this.#duplicates.has(job.id) ? 'duplicate' : 'completed';
  }
}
