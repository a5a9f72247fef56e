// The process's tracer provider, registered only when spans have somewhere to go: an OTLP
// endpoint (or a test's exporter). Spans are then sampled as OTEL_TRACES_SAMPLER says
// (parent-based, always on, by default) and exported in batches, and log lines carry the trace id.
// Without one, no provider is registered and the OpenTelemetry API stays a no-op: no span, no id,
// no context to carry, so tracing costs nothing when it is off (making unrecorded spans only for
// their ids cost a sixth of the read path's throughput in `npm run bench`).
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { TracingConfig } from './tracing-config.js';

export interface Tracing {
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

let provider: NodeTracerProvider | null = null;

/** True once a provider is registered: the HTTP server then opens a span per request. */
export function tracingStarted(): boolean {
  return provider !== null;
}

/**
 * Registers the process-wide provider (once: later calls reuse it). Tests pass `exporter` to read
 * every span as it ends.
 */
export function startTracing(config: TracingConfig, hostedModules: readonly string[], options: { exporter?: SpanExporter } = {}): Tracing {
  if (config.disabled || (config.export === null && !options.exporter)) return { shutdown: async () => {} };
  if (provider === null) {
    const processor: SpanProcessor = options.exporter
      ? new SimpleSpanProcessor(options.exporter)
      : new BatchSpanProcessor(createExporter(config.export!.protocol));
    provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, 'shop.modules': [...hostedModules] }),
      spanProcessors: [processor],
    });
    // The W3C trace context propagator and an AsyncLocalStorage context manager.
    provider.register();
  }
  const registered = provider;
  return { shutdown: () => registered.shutdown() };
}

function createExporter(protocol: 'http/protobuf' | 'http/json'): SpanExporter {
  // Both read their endpoint, headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables.
  return protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
}
