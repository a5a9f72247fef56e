// Server spans on a real listener, read back from an in-memory exporter.
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameServerSpan, serverWithSpans } from './http-server-spans.js';
import { activeTraceIds } from './trace-context.js';
import { startTracing, type Tracing } from './tracing.js';

describe('server spans', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: FastifyInstance;
  let base: string;
  const seenInHandler: Array<{ traceId?: string }> = [];

  beforeAll(async () => {
    tracing = await startTracing({ disabled: false, export: null, serviceName: 'shop-test' }, ['fixture'], { exporter });
    server = Fastify({ serverFactory: serverWithSpans });
    server.addHook('onRequest', (request, _reply, done) => {
      nameServerSpan(request, 'fixture');
      done();
    });
    server.get('/health/live', async () => ({ status: 'ok' }));
    server.post('/things/:id', async (request) => {
      seenInHandler.push(activeTraceIds());
      return { id: (request.params as { id: string }).id, body: request.body };
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.close();
    await tracing.shutdown();
  });

  it('continues the caller’s trace, names the route and the module, and is active in the handler', async () => {
    const traceId = 'a'.repeat(32);
    const response = await fetch(`${base}/things/42?q=1`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-${'b'.repeat(16)}-01`, 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(response.status).toBe(200);
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ name: 'POST /things/:id', kind: SpanKind.SERVER });
    expect(spans[0]!.parentSpanContext?.spanId).toBe('b'.repeat(16));
    expect(spans[0]!.attributes).toMatchObject({ 'http.route': '/things/:id', 'shop.module': 'fixture', 'http.response.status_code': 200, 'url.path': '/things/42' });
    // The body is parsed in stream events: the handler after it still runs in the request's span.
    expect(seenInHandler.at(-1)?.traceId).toBe(traceId);
  });

  it('opens no span for health probes', async () => {
    exporter.reset();
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
