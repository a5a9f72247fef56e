// The resilience policies for calls to one remote module, built once per module so that its
// breaker and bulkhead see all of its traffic (a breaker per call would never open).
//
// Outermost first: bulkhead → circuit breaker → retry → timeout.
// - The bulkhead caps the calls in flight and waiting, so a slow module cannot take every socket
//   and every request of this process down with it.
// - The breaker sits outside the retries: one call that failed after its retries counts once, and
//   once open, calls fail at once instead of waiting for timeouts.
// - Retries (idempotent methods only) back off exponentially with jitter, so replicas recovering
//   together are not hit in lockstep.
// - The timeout bounds each attempt, and aborts its fetch.
import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import type { RemoteCallsConfig } from './remote-calls-config.js';
import { isRemoteVerdict } from './remote-errors.js';

/** The policy of one remote module's calls: as read from REMOTE_TIMEOUT_MS and its siblings. */
export type RemotePolicy = RemoteCallsConfig;

export const DEFAULT_REMOTE_POLICY: RemotePolicy = {
  timeoutMs: 2000,
  retries: 2,
  breakerThreshold: 5,
  halfOpenAfterMs: 10_000,
  bulkheadLimit: 10,
  bulkheadQueue: 20,
};

const RETRY_INITIAL_DELAY_MS = 50;
const RETRY_MAX_DELAY_MS = 1000;

export type CircuitStateName = 'closed' | 'open' | 'half-open';

export interface ResiliencePolicies {
  /** For idempotent methods: retried. */
  repeatable: IPolicy;
  /** For the others: one attempt, since a retry could apply the effect twice. */
  once: IPolicy;
  breaker: CircuitBreakerPolicy;
}

/**
 * A 4xx is the module's answer, not its failure: retrying cannot change it and it says the module
 * is up, so neither the retry nor the breaker counts it.
 */
const faults = handleWhen((error) => !isRemoteVerdict(error));

export function createResiliencePolicies(overrides: Partial<RemotePolicy> = {}): ResiliencePolicies {
  const policy = { ...DEFAULT_REMOTE_POLICY, ...overrides };
  checkPolicy(policy);
  const limiter = bulkhead(policy.bulkheadLimit, policy.bulkheadQueue);
  const breaker = circuitBreaker(faults, {
    halfOpenAfter: policy.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(policy.breakerThreshold),
  });
  const retries = retry(faults, {
    maxAttempts: policy.retries,
    backoff: new ExponentialBackoff({ initialDelay: RETRY_INITIAL_DELAY_MS, maxDelay: RETRY_MAX_DELAY_MS }),
  });
  // Aggressive: the attempt fails at the deadline even if the far side keeps the socket open.
  const deadline = timeout(policy.timeoutMs, TimeoutStrategy.Aggressive);
  return {
    repeatable: wrap(limiter, breaker, retries, deadline),
    once: wrap(limiter, breaker, deadline),
    breaker,
  };
}

export function circuitStateName(state: CircuitState): CircuitStateName {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open'; // Open, or Isolated (held open by hand)
}

function checkPolicy(policy: RemotePolicy): void {
  const minimums: Record<keyof RemotePolicy, number> = {
    timeoutMs: 1,
    retries: 0,
    breakerThreshold: 1,
    halfOpenAfterMs: 1,
    bulkheadLimit: 1,
    bulkheadQueue: 0,
  };
  for (const [name, minimum] of Object.entries(minimums) as [keyof RemotePolicy, number][]) {
    const value = policy[name];
    if (!Number.isInteger(value) || value < minimum) throw new Error(`remote policy ${name} must be an integer ≥ ${minimum} (got ${value})`);
  }
}
