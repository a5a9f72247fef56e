// The event bus's part of a trace: a PRODUCER span where an event is published, whose context
// travels in the envelope's `traceparent`, and a CONSUMER span for every delivery attempt that
// continues it: on a retry, and after a dead letter is sent back, the envelope still carries it.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Job, JobResult } from 'pg-boss';
import { contextFrom, traceparentOf, tracer } from '../observability/trace-context.js';
import type { EventEnvelope } from './event-envelope.js';

/** Runs `publish` in a producer span; it gets the `traceparent` to store in the envelope. */
export async function inProducerSpan(type: string, source: string, publish: (traceparent: string | undefined) => Promise<void>): Promise<void> {
  const span = tracer.startSpan(`publish ${type}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'pg-boss', 'messaging.operation.type': 'send', 'shop.event.type': type, 'shop.module': source },
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

/** Runs one delivery attempt in a consumer span continuing the publisher's trace. */
export async function inConsumerSpan(queue: string, module: string, job: Job<EventEnvelope>, deliver: () => Promise<JobResult>): Promise<JobResult> {
  const parent = contextFrom({ traceparent: job.data.traceparent });
  const span = tracer.startSpan(
    `process ${queue}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'pg-boss',
        'messaging.operation.type': 'process',
        'messaging.destination.name': queue,
        'messaging.message.id': job.data.id,
        'shop.event.type': job.data.type,
        'shop.module': module,
        'shop.delivery.attempt': job.retryCount + 1,
      },
    },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), deliver);
    span.setAttribute('shop.delivery.outcome', result.status);
    if (result.status !== 'completed') span.setStatus({ code: SpanStatusCode.ERROR, message: outputMessage(result) });
    return result;
  } finally {
    span.end();
  }
}

/** Marks the active delivery's span: the inbox had the event already. */
export function markDuplicateDelivery(): void {
  trace.getActiveSpan()?.setAttribute('shop.delivery.duplicate', true);
}

function outputMessage(result: JobResult): string | undefined {
  const output = (result as { output?: { message?: unknown } }).output;
  return typeof output?.message === 'string' ? output.message : undefined;
}
