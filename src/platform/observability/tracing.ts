// The process's tracer provider, registered only when spans have somewhere to go: an OTLP
// endpoint (or a test's exporter). Spans are then sampled as OTEL_TRACES_SAMPLER says
// (parent-based, always on, by default) and exported in batches, and log lines carry the trace id.
// Without one, no provider is registered and the OpenTelemetry API stays a no-op: no span, no id,
// no context to carry, so tracing costs nothing when it is off (making unrecorded spans only for
// their ids cost a sixth of the read path's throughput in `npm run bench`).
//
// The SDK and the exporters are loaded only then: evaluating them at every start cost a good part
// of a second on these machines.
import type { NodeTracerProvider, SpanExporter } from '@opentelemetry/sdk-trace-node';
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
export async function startTracing(config: TracingConfig, hostedModules: readonly string[], options: { exporter?: SpanExporter } = {}): Promise<Tracing> {
  if (config.disabled || (config.export === null && !options.exporter)) return { shutdown: async () => {} };
  if (provider === null) {
    const [sdk, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/semantic-conventions'),
    ]);
    const processor = options.exporter
      ? new sdk.SimpleSpanProcessor(options.exporter)
      : new sdk.BatchSpanProcessor(await createExporter(config.export!.protocol));
    provider = new sdk.NodeTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, 'shop.modules': [...hostedModules] }),
      spanProcessors: [processor],
    });
    // The W3C trace context propagator and an AsyncLocalStorage context manager.
    provider.register();
  }
  const registered = provider;
  return { shutdown: () => registered.shutdown() };
}

async function createExporter(protocol: 'http/protobuf' | 'http/json'): Promise<SpanExporter> {
  // Both read their endpoint, headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables.
  if (protocol === 'http/json') return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
}
