// One batch of a subscription, applied in one transaction with its checkpoint: the subscription is
// claimed (no other process applies it meanwhile), the events after its checkpoint are read, each
// handler runs in the transaction, the events they publish are appended in one statement, and the
// checkpoint moves to the batch's last event. Commit, and every effect of the batch happened once;
// fail before it, and none did, so the same events are read again. No inbox row is needed.
//
// A handler that fails rolls back the whole transaction, which is then run again with that event
// parked instead of applied (parked-events.ts): each failing event costs one more run of its batch,
// and the normal path pays for no savepoint. An event that does not fit its schema is parked to be
// dead-lettered with the reason, and the batch goes on. A batch that loses a race with another
// transaction (a deadlock between two subscriptions updating the same rows in different orders) is
// simply run again: the event did nothing wrong, so it is parked only if the race keeps recurring.
import type { PgBoss } from 'pg-boss';
import type { Db, Tx } from '../db/database.js';
import { databaseUnavailable, transactionConflict } from '../db/errors.js';
import { safeErrorMessage } from '../logging/error-serializer.js';
import type { Logger } from '../logging/logger.js';
import type { HandledOutcome } from '../observability/shop-metrics.js';
import { handlerStarted, recordOutcomes } from './delivery-metrics.js';
import { EventSchemaError } from './event-definition.js';
import type { EventEnvelope } from './event-envelope.js';
import { appendEvents, type EventSource } from './event-log.js';
import { inConsumerSpan } from './event-spans.js';
import type { EventsConfig } from './events-config.js';
import { parkEvents, type ParkedEvent } from './parked-events.js';

export interface BatchTarget {
  /** `<module>.<subscription>`: its checkpoint's and its park queue's name. */
  queue: string;
  module: string;
  types: readonly string[];
}

export interface BatchDeliveryDeps {
  source: EventSource;
  boss: PgBoss;
  config: EventsConfig;
  logger: Logger;
  /** The subscribing module's database. */
  db: Db;
  /** The event as the subscription reads it; throws EventSchemaError when it does not fit. */
  asRead(event: EventEnvelope): EventEnvelope;
  /** Runs the handler in `tx`; the events it publishes are pushed onto `published`. */
  apply(tx: Tx, event: EventEnvelope, published: EventEnvelope[]): Promise<void>;
  /** After the batch committed: what it published (to count, and to wake their subscribers). */
  committed(published: readonly EventEnvelope[]): void;
}

/** Events read per batch: large enough that a commit is shared by many, small enough to hold locks briefly. */
export const BATCH_SIZE = 100;

/** Runs of one batch that lose a race (deadlock, serialization failure) before its failing event is parked. */
const CONFLICT_RERUNS = 5;

class HandlerFailed extends Error {
  constructor(
    readonly event: EventEnvelope,
    readonly failure: unknown,
  ) {
    super(safeErrorMessage(failure));
  }
}

/** Applies the subscription's next batch; resolves to whether it was full (more may be waiting). */
export async function deliverNextBatch(target: BatchTarget, deps: BatchDeliveryDeps): Promise<boolean> {
  const failing = new Set<string>();
  const lagObserved = new Set<string>();
  let conflicts = 0;
  for (;;) {
    const published: EventEnvelope[] = [];
    const outcomes: HandledOutcome[] = [];
    try {
      const read = await deps.db.transaction(async (tx) => {
        const batch = await deps.source.claimBatch(tx, target.queue, target.types, BATCH_SIZE);
        if (batch.length === 0) return 0;
        const parked: ParkedEvent[] = [];
        for (const { envelope } of batch) {
          if (failing.has(envelope.id)) {
            parked.push({ envelope, now: false });
            outcomes.push('failed');
            continue;
          }
          let event: EventEnvelope;
          try {
            event = deps.asRead(envelope);
          } catch (error) {
            if (!(error instanceof EventSchemaError)) throw error;
            deps.logger.error({ queue: target.queue, eventId: envelope.id, eventType: envelope.type, reason: error.message }, 'event does not fit its schema; dead-lettered');
            parked.push({ envelope, now: true });
            continue;
          }
          const firstAttempt = !lagObserved.has(envelope.id);
          lagObserved.add(envelope.id);
          const result = await inConsumerSpan(target.queue, target.module, envelope, 1, async () => {
            const ended = handlerStarted(target.queue, envelope, firstAttempt);
            try {
              await deps.apply(tx, event, published);
              return { status: 'completed' as const };
            } catch (error) {
              return { status: 'failed' as const, message: safeErrorMessage(error), error };
            } finally {
              ended();
            }
          });
          if (result.status === 'failed') throw new HandlerFailed(envelope, result.error);
          outcomes.push('completed');
        }
        await appendEvents(tx, published);
        await parkEvents(deps.boss, tx, target.queue, parked, deps.config);
        await deps.source.advance(tx, target.queue, batch.at(-1)!);
        return batch.length;
      });
      deps.committed(published);
      recordOutcomes(target.queue, outcomes);
      return read === BATCH_SIZE;
    } catch (error) {
      const cause = error instanceof HandlerFailed ? error.failure : error;
      if (transactionConflict(cause) && conflicts < CONFLICT_RERUNS) {
        conflicts += 1;
        continue;
      }
      // The database went away under the batch: nothing was applied, and parking would be wrong.
      if (!(error instanceof HandlerFailed) || databaseUnavailable(error.failure)) throw error;
      deps.logger.warn(
        { queue: target.queue, eventId: error.event.id, eventType: error.event.type, attempt: 1, err: error.failure },
        'event handler failed; the event is parked for its retries and the subscription moves on',
      );
      failing.add(error.event.id);
    }
  }
}
