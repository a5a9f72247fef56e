// Each delivery outcome the bus counts, with a real bus (real Postgres, real pg-boss): an event
// applied, a failed attempt (its batch's) after which it is parked and retried, one that is
// dead-lettered, and a parked event redelivered as a duplicate.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureSchema, FIXTURE_EVENTS, startTestBus, type TestBus } from '../../../test/support/test-bus.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { processMetrics } from '../observability/shop-metrics.js';
import { sampleValue } from '../observability/testing/prometheus-text.js';
import type { EventHandler } from './event-bus.js';

const handled = async (subscription: string, outcome: string) =>
  sampleValue(await processMetrics.metrics(), 'shop_events_handled_total', { subscription, outcome }) ?? 0;

describe('delivery metrics', () => {
  let url: string;
  let testBus: TestBus | undefined;
  beforeAll(async () => {
    url = await createTestDatabase();
    await createFixtureSchema(url);
  });
  afterEach(() => testBus?.close());

  it('counts an attempt that failed, then the one that applied the event, then a duplicate', async () => {
    let calls = 0;
    const flaky: EventHandler = async () => {
      calls += 1;
      if (calls === 1) throw new Error('transient');
    };
    testBus = await startTestBus(url, [{ name: 'counted-flaky', pattern: 'fixture.thing-happened', handler: flaky }], { retryLimit: 3 });
    const published = async () => sampleValue(await processMetrics.metrics(), 'shop_events_published_total', { type: 'fixture.thing-happened' }) ?? 0;
    const publishedBefore = await published();
    await testBus.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.thingHappened, { answer: 1 }));
    expect(await published()).toBe(publishedBefore + 1);

    await waitFor(async () => (await handled('fixture.counted-flaky', 'completed')) === 1, { timeoutMs: 30_000, what: 'the retried event applied' });
    expect(await handled('fixture.counted-flaky', 'failed')).toBe(1);

    // The parked event's envelope again, in a new job: what a redelivery after a lost acknowledgement is.
    const [job] = await testBus.bus.boss.findJobs('fixture.counted-flaky');
    expect(job).toMatchObject({ state: 'completed', data: { type: 'fixture.thing-happened' } });
    await testBus.bus.boss.send('fixture.counted-flaky', job!.data as object);
    await waitFor(async () => (await handled('fixture.counted-flaky', 'duplicate')) === 1, { what: 'the duplicate' });
    expect(calls).toBe(2);
  });

  it('counts an attempt after which the event goes to its dead-letter queue as dead_lettered', async () => {
    const broken: EventHandler = async () => {
      throw new Error('handler bug');
    };
    testBus = await startTestBus(url, [{ name: 'counted-broken', pattern: 'fixture.thing-happened', handler: broken }], { retryLimit: 1 });
    await testBus.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.thingHappened, { answer: 2 }));
    // Its batch's attempt fails (failed), then its one run parked (EVENTS_RETRY_LIMIT 1) is the last (dead_lettered).
    await waitFor(async () => (await handled('fixture.counted-broken', 'dead_lettered')) === 1, { timeoutMs: 30_000, what: 'the dead letter' });
    expect(await handled('fixture.counted-broken', 'failed')).toBe(1);
    expect(await handled('fixture.counted-broken', 'completed')).toBe(0);
  });
});
