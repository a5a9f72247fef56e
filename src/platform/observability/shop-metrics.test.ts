// The process-wide metrics: what each recording function moves, and the circuit-state gauge read
// at scrape time from the breakers it watches. The registry is shared by the whole test file (as by
// the process), so each test reads its own labels, or the change it made.
import { CircuitState } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import {
  HANDLED_OUTCOMES,
  observeDeliveryLag,
  observeHandlerDuration,
  observeRemoteCall,
  primeHandledOutcomes,
  processMetrics,
  recordHandled,
  recordPublished,
  watchCircuit,
} from './shop-metrics.js';
import { sampleValue } from './testing/prometheus-text.js';

const scrape = () => processMetrics.metrics();

describe('process-wide metrics', () => {
  it('counts published events by type', async () => {
    const before = sampleValue(await scrape(), 'shop_events_published_total', { type: 'unit.published' }) ?? 0;
    recordPublished('unit.published');
    recordPublished('unit.published');
    expect(sampleValue(await scrape(), 'shop_events_published_total', { type: 'unit.published' })).toBe(before + 2);
  });

  it('counts handled events by subscription and outcome, every outcome shown from 0 once primed', async () => {
    primeHandledOutcomes('unit.primed');
    const text = await scrape();
    for (const outcome of HANDLED_OUTCOMES) {
      expect(sampleValue(text, 'shop_events_handled_total', { subscription: 'unit.primed', outcome })).toBe(0);
    }
    recordHandled('unit.primed', 'dead_lettered');
    expect(sampleValue(await scrape(), 'shop_events_handled_total', { subscription: 'unit.primed', outcome: 'dead_lettered' })).toBe(1);
    expect(sampleValue(await scrape(), 'shop_events_handled_total', { subscription: 'unit.primed', outcome: 'completed' })).toBe(0);
  });

  it('observes handler durations and delivery lags by subscription, a lag below 0 as 0', async () => {
    observeHandlerDuration('unit.timed', 0.003);
    observeDeliveryLag('unit.timed', 0.2);
    observeDeliveryLag('unit.timed', -0.5); // the database's clock a little ahead of this process's
    const text = await scrape();
    expect(sampleValue(text, 'shop_event_handler_duration_seconds_count', { subscription: 'unit.timed' })).toBe(1);
    expect(sampleValue(text, 'shop_event_delivery_lag_seconds_count', { subscription: 'unit.timed' })).toBe(2);
    expect(sampleValue(text, 'shop_event_delivery_lag_seconds_sum', { subscription: 'unit.timed' })).toBeCloseTo(0.2);
    // Buckets reach from milliseconds to minutes for the lag.
    expect(sampleValue(text, 'shop_event_delivery_lag_seconds_bucket', { subscription: 'unit.timed', le: '0.005' })).toBe(1);
    expect(sampleValue(text, 'shop_event_delivery_lag_seconds_bucket', { subscription: 'unit.timed', le: '300' })).toBe(2);
  });

  it('observes remote calls by target, method and outcome', async () => {
    observeRemoteCall('unit-target', 'lookup', 'ok', 0.01);
    observeRemoteCall('unit-target', 'lookup', 'stale', 2.5);
    const text = await scrape();
    expect(sampleValue(text, 'shop_remote_call_duration_seconds_count', { target: 'unit-target', method: 'lookup', outcome: 'ok' })).toBe(1);
    expect(sampleValue(text, 'shop_remote_call_duration_seconds_count', { target: 'unit-target', method: 'lookup', outcome: 'stale' })).toBe(1);
  });

  it('reads each watched breaker at scrape time: 0 closed, 1 half-open, 2 open', async () => {
    const breaker = { state: CircuitState.Closed };
    watchCircuit('unit-circuit', breaker);
    const state = async () => sampleValue(await scrape(), 'shop_remote_circuit_state', { target: 'unit-circuit' });
    expect(await state()).toBe(0);
    breaker.state = CircuitState.Open;
    expect(await state()).toBe(2);
    breaker.state = CircuitState.HalfOpen;
    expect(await state()).toBe(1);
    breaker.state = CircuitState.Isolated; // held open by hand
    expect(await state()).toBe(2);
  });

  it('shows the worst of the breakers several callers hold to one target', async () => {
    const fromOrders = { state: CircuitState.Closed };
    const fromPayments = { state: CircuitState.HalfOpen };
    watchCircuit('unit-shared', fromOrders);
    watchCircuit('unit-shared', fromPayments);
    expect(sampleValue(await scrape(), 'shop_remote_circuit_state', { target: 'unit-shared' })).toBe(1);
    fromOrders.state = CircuitState.Open;
    expect(sampleValue(await scrape(), 'shop_remote_circuit_state', { target: 'unit-shared' })).toBe(2);
  });

  it('defines every metric once, whatever imports this file (a second app does not register them again)', async () => {
    const again = await import('./shop-metrics.js');
    expect(again.processMetrics).toBe(processMetrics);
    const names = (await processMetrics.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'shop_event_delivery_lag_seconds',
        'shop_event_handler_duration_seconds',
        'shop_events_handled_total',
        'shop_events_published_total',
        'shop_remote_call_duration_seconds',
        'shop_remote_circuit_state',
      ]),
    );
  });
});
