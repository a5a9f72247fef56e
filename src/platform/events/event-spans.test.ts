// The bus's spans with a real bus (real Postgres, real pg-boss) and an in-memory exporter: a
// consumer span for every delivery attempt (its batch's, then each run of it parked), in the
// publisher's trace, on a retry and after a redrive.
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureSchema, FIXTURE_EVENTS, startTestBus, type TestBus } from '../../../test/support/test-bus.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { startTracing, type Tracing } from '../observability/tracing.js';
import { tracer } from '../observability/trace-context.js';
import { redriveDeadLetters, listDeadLetters } from './dead-letters.js';
import type { EventHandler } from './event-bus.js';

describe('event spans', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let url: string;
  let testBus: TestBus | undefined;

  beforeAll(async () => {
    tracing = await startTracing({ disabled: false, export: null, serviceName: 'shop-test' }, ['fixture'], { exporter });
    url = await createTestDatabase();
    await createFixtureSchema(url);
  });
  afterEach(async () => {
    await testBus?.close();
    exporter.reset();
  });
  afterAll(() => tracing.shutdown());

  /** Publishes one event inside a span of its own, as a request would; resolves to that span's trace id. */
  const publishInTrace = (bus: TestBus['bus']) =>
    tracer.startActiveSpan('request', async (span) => {
      await bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.thingHappened, { answer: 7 }));
      span.end();
      return span.spanContext().traceId;
    });
  const spansOf = (traceId: string, kind: SpanKind) => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId && span.kind === kind);
  const attempt = (span: ReadableSpan) => span.attributes['shop.delivery.attempt'];

  it('opens a producer span at publish and a consumer span per attempt in its trace, retries included', async () => {
    let calls = 0;
    const flaky: EventHandler = async () => {
      calls += 1;
      if (calls < 2) throw new Error('transient');
    };
    testBus = await startTestBus(url, [{ name: 'traced-flaky', pattern: 'fixture.thing-happened', handler: flaky }]);
    const traceId = await publishInTrace(testBus.bus);

    const consumers = await waitFor(async () => {
      const found = spansOf(traceId, SpanKind.CONSUMER);
      return found.length >= 2 && found;
    }, { timeoutMs: 30_000, what: 'two delivery attempts' });
    const [producer] = spansOf(traceId, SpanKind.PRODUCER);
    expect(producer).toMatchObject({ name: 'publish fixture.thing-happened' });
    expect(consumers.map(attempt)).toEqual([1, 2]);
    expect(consumers.map((span) => span.attributes['shop.delivery.outcome'])).toEqual(['failed', 'completed']);
    for (const consumer of consumers) {
      expect(consumer.name).toBe('process fixture.traced-flaky');
      expect(consumer.parentSpanContext?.spanId).toBe(producer!.spanContext().spanId);
    }
  });

  it('continues the trace when a dead letter is redriven', async () => {
    let fixed = false;
    const broken: EventHandler = async () => {
      if (!fixed) throw new Error('handler bug');
    };
    testBus = await startTestBus(url, [{ name: 'traced-broken', pattern: 'fixture.thing-happened', handler: broken }], { retryLimit: 0 });
    const traceId = await publishInTrace(testBus.bus);
    await waitFor(async () => (await listDeadLetters(testBus!.bus, 'fixture.traced-broken')).length > 0, { timeoutMs: 30_000, what: 'the dead letter' });

    fixed = true;
    await redriveDeadLetters(testBus.bus, 'fixture.traced-broken');
    const consumers = await waitFor(async () => {
      const found = spansOf(traceId, SpanKind.CONSUMER);
      return found.some((span) => span.attributes['shop.delivery.outcome'] === 'completed') && found;
    }, { timeoutMs: 30_000, what: 'the redriven delivery' });
    // EVENTS_RETRY_LIMIT 0 still runs a parked event once after its batch's attempt (where a
    // misfit is dead-lettered with its reason): two failed attempts, then the redriven one.
    expect(consumers.map((span) => span.attributes['shop.delivery.outcome'])).toEqual(['failed', 'failed', 'completed']);
    expect(consumers.map(attempt).slice(0, 2)).toEqual([1, 2]);
  });
});
