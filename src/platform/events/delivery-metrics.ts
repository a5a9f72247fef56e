// What the bus reports about deliveries, as metrics: how late an event's first attempt started (a
// retry's lateness is its back-off, a timer's its delay: neither is lag), how long each handler
// took, and each attempt's outcome once it is known (after its transaction committed, or did not).
import { observeDeliveryLag, observeHandlerDuration, recordHandled, type HandledOutcome } from '../observability/shop-metrics.js';
import type { EventEnvelope } from './event-envelope.js';

/** Call as a handler starts; call what it returns when the handler ends. */
export function handlerStarted(subscription: string, event: EventEnvelope, firstAttempt: boolean): () => void {
  const startedAt = performance.now();
  if (firstAttempt) observeDeliveryLag(subscription, (Date.now() - Date.parse(event.occurredAt)) / 1000);
  return () => observeHandlerDuration(subscription, (performance.now() - startedAt) / 1000);
}

export function recordOutcomes(subscription: string, outcomes: readonly HandledOutcome[]): void {
  for (const outcome of outcomes) recordHandled(subscription, outcome);
}
