// Tracing's settings, from the standard OpenTelemetry variables. Only the ones that decide whether
// and how spans leave the process are read here; the SDK and its exporters read the rest
// themselves (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY, …).
import { ConfigError, type EnvReader } from '../config/env-reader.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingConfig {
  /** OTEL_SDK_DISABLED=true: no tracing, even with an endpoint. */
  disabled: boolean;
  /** How spans are exported, or null: no tracing at all. */
  export: { protocol: OtlpProtocol } | null;
  serviceName: string;
}

const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;

export function readTracingConfig(env: EnvReader, hostedModules: readonly string[]): TracingConfig {
  const disabled = env.oneOf('OTEL_SDK_DISABLED', ['true', 'false'], 'false') === 'true';
  const endpointVariable = env.text('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const endpoint = env.text(endpointVariable);
  const protocolVariable = env.text('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = env.oneOf(protocolVariable, PROTOCOLS, 'http/protobuf');
  if (protocol === 'grpc' && endpoint !== null) {
    throw new ConfigError(`${protocolVariable}=grpc is not supported: export over http/protobuf (the default) or http/json`);
  }
  if (endpoint !== null && !/^https?:\/\//.test(endpoint)) {
    throw new ConfigError(`${endpointVariable} must be an http(s) URL, e.g. http://collector:4318`);
  }
  return {
    disabled,
    export: endpoint === null || disabled ? null : { protocol: protocol as OtlpProtocol },
    // Each process of a split system shows up as what it hosts, e.g. `shop-orders-payments`.
    serviceName: env.text('OTEL_SERVICE_NAME') ?? ['shop', ...hostedModules].join('-'),
  };
}
