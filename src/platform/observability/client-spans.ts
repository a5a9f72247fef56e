// CLIENT spans for calls this process makes to another one (a remote module's contract, a
// forwarded public request), with the trace context put into the outgoing headers so the far
// side's server span continues this trace.
import { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { tracer, withTraceHeaders } from './trace-context.js';

export interface ClientSpan {
  /** The outgoing headers, plus `traceparent`. */
  headers<Headers extends Record<string, unknown>>(headers: Headers): Headers;
  /** Ends the span with the status the far side answered, or the error that stopped the call. */
  end(outcome: { status: number } | { error: unknown }): void;
}

export function startClientSpan(name: string, attributes: Attributes): ClientSpan {
  const span: Span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
  return {
    headers: (headers) => withTraceHeaders(span, headers),
    end(outcome) {
      if ('status' in outcome) {
        span.setAttribute('http.response.status_code', outcome.status);
        if (outcome.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } else {
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error instanceof Error ? outcome.error.name : 'error' });
      }
      span.end();
    },
  };
}
