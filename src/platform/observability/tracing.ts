// The process's tracer provider. With an OTLP endpoint configured, spans are sampled as
// OTEL_TRACES_SAMPLER says (parent-based, always on, by default) and exported in batches. Without
// one, spans are never recorded, but every request and event still gets a trace id, propagated
// over HTTP and through event envelopes, so the logs of one piece of work share it; that costs a
// few random bytes and an object per span. OTEL_SDK_DISABLED=true turns even that off.
import { AlwaysOffSampler, BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
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
  if (config.disabled) return { shutdown: async () => {} };
  if (provider === null) {
    const processor: SpanProcessor | null = options.exporter
      ? new SimpleSpanProcessor(options.exporter)
      : config.export
        ? new BatchSpanProcessor(createExporter(config.export.protocol))
        : null;
    provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, 'shop.modules': [...hostedModules] }),
      // Without an exporter nothing would read a recorded span: sample none, keep the ids.
      ...(processor ? { spanProcessors: [processor] } : { sampler: new AlwaysOffSampler() }),
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
