// The process-wide metrics: the event bus's and the remote contracts'. They live in one registry of
// their own, created once when this file is first imported, because the bus and the remote clients
// are built outside the HTTP layer (and a process that builds several apps, as the tests do, would
// otherwise register each metric twice). Each app's /metrics serves this registry next to its own
// (see http/metrics.ts).
//
// Label values stay few: a subscription is its queue name, a type a catalogued event type, a
// target a module, a method one of its contract's. Never anything taken from a request.
import { CircuitState } from 'cockatiel';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const processMetrics = new Registry();

/** How a delivered event (or timer) ended for its subscription. */
export type HandledOutcome = 'completed' | 'failed' | 'dead_lettered' | 'duplicate';

export const HANDLED_OUTCOMES: readonly HandledOutcome[] = ['completed', 'failed', 'dead_lettered', 'duplicate'];

/**
 * How a call to a remote module's contract ended, as its caller saw it:
 * - `ok`: answered within the contract;
 * - `error`: the module's verdict, a 4xx (RemoteCallError);
 * - `stale`: the module could not answer; its last good answer was served instead;
 * - `unavailable`: the module could not answer and there was nothing to stand in (timeout, 5xx,
 *   refused connection, open circuit, full bulkhead);
 * - `mismatch`: it answered outside its contract (RemoteAnswerMismatchError).
 */
export type RemoteCallOutcome = 'ok' | 'error' | 'stale' | 'unavailable' | 'mismatch';

// A handler is a few statements in its batch's transaction: milliseconds, seconds when it is stuck.
const HANDLER_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Commit to handler start: milliseconds when a local worker is woken, the polling interval when a
// worker elsewhere finds it, minutes when a backlog builds up.
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
// A whole call, retries and their back-off included: up to (1 + retries) × the timeout.
const REMOTE_CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const published = new Counter({
  name: 'shop_events_published_total',
  help: 'Events published (stored with their transaction), by event type',
  labelNames: ['type'] as const,
  registers: [processMetrics],
});

const handled = new Counter({
  name: 'shop_events_handled_total',
  help: 'Deliveries of events and timers to their handler, by subscription (queue) and outcome',
  labelNames: ['subscription', 'outcome'] as const,
  registers: [processMetrics],
});

const handlerDuration = new Histogram({
  name: 'shop_event_handler_duration_seconds',
  help: 'Time a handler took on one event, by subscription (queue)',
  labelNames: ['subscription'] as const,
  buckets: HANDLER_BUCKETS,
  registers: [processMetrics],
});

const deliveryLag = new Histogram({
  name: 'shop_event_delivery_lag_seconds',
  help: 'From the publishing commit to its handler starting, by subscription (queue)',
  labelNames: ['subscription'] as const,
  buckets: LAG_BUCKETS,
  registers: [processMetrics],
});

const remoteCallDuration = new Histogram({
  name: 'shop_remote_call_duration_seconds',
  help: 'Calls to another module’s contract over HTTP, retries included, by target module, method and outcome',
  labelNames: ['target', 'method', 'outcome'] as const,
  buckets: REMOTE_CALL_BUCKETS,
  registers: [processMetrics],
});

/** The breakers the circuit-state gauge reads, by target; held weakly (see watchCircuit). */
const watchedCircuits = new Map<string, Set<WeakRef<ObservedCircuit>>>();

new Gauge({
  name: 'shop_remote_circuit_state',
  help: 'Circuit to a remote module: 0 closed, 1 half-open, 2 open (the worst of this process’s callers)',
  labelNames: ['target'] as const,
  collect() {
    this.reset();
    for (const [target, circuits] of watchedCircuits) {
      const states = [...circuits].flatMap((circuit) => {
        const breaker = circuit.deref();
        if (breaker === undefined) circuits.delete(circuit);
        return breaker === undefined ? [] : [circuitStateValue(breaker.state)];
      });
      if (states.length === 0) watchedCircuits.delete(target);
      else this.set({ target }, Math.max(...states));
    }
  },
  registers: [processMetrics],
});

export function recordPublished(type: string): void {
  published.inc({ type });
}

export function recordHandled(subscription: string, outcome: HandledOutcome): void {
  handled.inc({ subscription, outcome });
}

/**
 * Shows every outcome of a subscription at 0 before its first delivery, so a rate or an increase
 * over it is defined from the start (a series that appears at 1 hides that first event).
 */
export function primeHandledOutcomes(subscription: string): void {
  for (const outcome of HANDLED_OUTCOMES) handled.inc({ subscription, outcome }, 0);
}

export function observeHandlerDuration(subscription: string, seconds: number): void {
  handlerDuration.observe({ subscription }, seconds);
}

/** Clamped at 0: the commit time comes from the database's clock, the start from this process's. */
export function observeDeliveryLag(subscription: string, seconds: number): void {
  deliveryLag.observe({ subscription }, Math.max(0, seconds));
}

export function observeRemoteCall(target: string, method: string, outcome: RemoteCallOutcome, seconds: number): void {
  remoteCallDuration.observe({ target, method, outcome }, seconds);
}

/** What the circuit-state gauge reads at each scrape: a breaker (cockatiel's has this shape). */
export interface ObservedCircuit {
  readonly state: CircuitState;
}

/**
 * Reports a breaker's state under `target` from now on. Several callers in one process may each
 * have a breaker to the same module: the gauge shows the worst. The breaker is held weakly, so a
 * client nobody uses any more (an app closed in a test) drops out instead of being kept alive.
 */
export function watchCircuit(target: string, breaker: ObservedCircuit): void {
  let circuits = watchedCircuits.get(target);
  if (circuits === undefined) watchedCircuits.set(target, (circuits = new Set()));
  circuits.add(new WeakRef(breaker));
}

export function circuitStateValue(state: CircuitState): 0 | 1 | 2 {
  if (state === CircuitState.Closed) return 0;
  if (state === CircuitState.HalfOpen) return 1;
  return 2; // Open, or Isolated (held open by hand)
}
