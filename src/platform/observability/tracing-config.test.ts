import { describe, expect, it } from 'vitest';
import { envReader } from '../config/env-reader.js';
import { readTracingConfig } from './tracing-config.js';

const read = (env: Record<string, string>) => readTracingConfig(envReader(env, false), ['orders', 'payments']);

describe('tracing configuration', () => {
  it('exports nothing without an endpoint, and names the process after what it hosts', () => {
    expect(read({})).toEqual({ disabled: false, export: null, serviceName: 'shop-orders-payments' });
  });

  it('exports over http/protobuf by default and http/json when asked, to either endpoint variable', () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).export).toEqual({ protocol: 'http/protobuf' });
    expect(read({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).export).toEqual({ protocol: 'http/json' });
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }).export).toEqual({ protocol: 'http/json' });
  });

  it('refuses grpc and an endpoint that is not an http(s) URL, in one line naming the variable', () => {
    expect(() => read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/^OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported/);
    expect(() => read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/);
  });

  it('takes OTEL_SERVICE_NAME as given, and OTEL_SDK_DISABLED over an endpoint', () => {
    expect(read({ OTEL_SERVICE_NAME: 'checkout' }).serviceName).toBe('checkout');
    expect(read({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toMatchObject({ disabled: true, export: null });
  });
});
