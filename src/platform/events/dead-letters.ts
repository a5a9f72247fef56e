// Events whose handler kept failing end in the subscription's dead-letter queue. Operators list
// them and, once the handler is fixed, redrive them: back to the park queue, where the inbox still
// guarantees one effect.
import type { EventEnvelope } from './event-envelope.js';
import { deadLetterQueue, UnknownSubscriptionError, type EventBus } from './event-bus.js';

export interface DeadLetter {
  id: string;
  subscription: string;
  event: EventEnvelope;
  attempts: number;
  error: string | null;
  deadLetteredAt: string;
}

export async function listDeadLetters(bus: EventBus, subscription?: string): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  for (const queue of selectQueues(bus, subscription)) {
    const jobs = await bus.boss.findJobs<EventEnvelope>(deadLetterQueue(queue), { queued: true });
    for (const job of jobs) {
      const output = job.sourceOutput as { message?: string; attempts?: number } | null;
      letters.push({
        id: job.id,
        subscription: queue,
        event: job.data,
        // Written by the bus since the event log; a dead letter from before says only its retries.
        attempts: output?.attempts ?? (job.sourceRetryCount ?? 0) + 1,
        error: output?.message ?? null,
        deadLetteredAt: job.createdOn.toISOString(),
      });
    }
  }
  return letters;
}

/** Moves dead letters back to their subscription's queue; returns how many moved. */
export async function redriveDeadLetters(bus: EventBus, subscription?: string, ids?: string[]): Promise<number> {
  let moved = 0;
  for (const queue of selectQueues(bus, subscription)) {
    moved += await bus.boss.redrive(deadLetterQueue(queue), ids ? { ids } : {});
  }
  return moved;
}

function selectQueues(bus: EventBus, subscription?: string): string[] {
  if (subscription === undefined) return bus.queues;
  if (!bus.queues.includes(subscription)) throw new UnknownSubscriptionError(subscription);
  return [subscription];
}

export { UnknownSubscriptionError };
