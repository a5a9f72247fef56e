// Carrying a trace across processes: W3C `traceparent` into and out of HTTP headers and event
// envelopes, and the ids of the active span for log lines. Every function here is a no-op until
// a tracer provider is registered (tracing.ts).
import { context, propagation, trace, isSpanContextValid, type Context, type Span } from '@opentelemetry/api';

export const tracer = trace.getTracer('shop');

/** The `traceparent` naming `span` (or the active span), for an envelope; undefined without tracing. */
export function traceparentOf(span?: Span): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(span ? trace.setSpan(context.active(), span) : context.active(), carrier);
  return carrier.traceparent;
}

/** The context a `traceparent` (from an envelope or a header) continues; the root context without one. */
export function contextFrom(carrier: Readonly<Record<string, unknown>>): Context {
  return propagation.extract(context.active(), carrier, {
    get: (headers, key) => {
      const value = headers[key];
      return typeof value === 'string' ? value : undefined;
    },
    keys: (headers) => Object.keys(headers),
  });
}

/** Adds `span`'s trace context to outgoing request headers. */
export function withTraceHeaders<Headers extends Record<string, unknown>>(span: Span, headers: Headers): Headers {
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return headers;
}

/** The active span's ids, for a log line; nothing outside a trace. */
export function activeTraceIds(): { traceId?: string; spanId?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const ids = span.spanContext();
  return isSpanContextValid(ids) ? { traceId: ids.traceId, spanId: ids.spanId } : {};
}
