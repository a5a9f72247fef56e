// The event bus's part of a trace: a PRODUCER span where an event is published, whose context
// travels in the envelope's `traceparent`, and a CONSUMER span for every delivery attempt that
// continues it: on a retry, and after a dead letter is sent back, the envelope still carries it.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFrom, traceparentOf, tracer } from '../observability/trace-context.js';
import type { EventEnvelope } from './event-envelope.js';

/** Runs `publish` in a producer span; it gets the `traceparent` to store in the envelope. */
export async function inProducerSpan(type: string, source: string, publish: (traceparent: string | undefined) => Promise<void>): Promise<void> {
  const span = tracer.startSpan(`publish ${type}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'postgresql', 'messaging.operation.type': 'send', 'shop.event.type': type, 'shop.module': source },
  });
  try {
    await publish(traceparentOf(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** How one delivery attempt ended, as its span records it. */
export interface AttemptResult {
  status: 'completed' | 'failed' | 'deadletter';
  message?: string;
}

/** Runs one delivery attempt in a consumer span continuing the publisher's trace. */
export async function inConsumerSpan<Result extends AttemptResult>(
  queue: string,
  module: string,
  event: EventEnvelope,
  attempt: number,
  deliver: () => Promise<Result>,
): Promise<Result> {
  const parent = contextFrom({ traceparent: event.traceparent });
  const span = tracer.startSpan(
    `process ${queue}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'postgresql',
        'messaging.operation.type': 'process',
        'messaging.destination.name': queue,
        'messaging.message.id': event.id,
        'shop.event.type': event.type,
        'shop.module': module,
        'shop.delivery.attempt': attempt,
      },
    },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), deliver);
    span.setAttribute('shop.delivery.outcome', result.status);
    if (result.status !== 'completed') span.setStatus({ code: SpanStatusCode.ERROR, ...(result.message ? { message: result.message } : {}) });
    return result;
  } finally {
    span.end();
  }
}

/** Marks the active delivery's span: the inbox had the event already. */
export function markDuplicateDelivery(): void {
  trace.getActiveSpan()?.setAttribute('shop.delivery.duplicate', true);
}
