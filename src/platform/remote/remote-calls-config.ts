// Resilience of calls to remote modules' contracts: one set of policies per remote module.
import type { EnvReader } from '../config/env-reader.js';

export interface RemoteCallsConfig {
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after a failure, for idempotent methods only. */
  retries: number;
  /** Consecutive failed calls that open the circuit. */
  breakerThreshold: number;
  /** How long the circuit stays open before one trial call may go through. */
  halfOpenAfterMs: number;
  /** Calls in flight at once. */
  bulkheadLimit: number;
  /** Calls waiting for a slot; beyond that, calls are refused at once. */
  bulkheadQueue: number;
}

export function readRemoteCallsConfig(env: EnvReader): RemoteCallsConfig {
  return {
    timeoutMs: env.integer('REMOTE_TIMEOUT_MS', 1000, 10, 60_000),
    retries: env.integer('REMOTE_RETRIES', 2, 0, 10),
    breakerThreshold: env.integer('REMOTE_BREAKER_THRESHOLD', 5, 1, 1000),
    halfOpenAfterMs: env.integer('REMOTE_BREAKER_HALF_OPEN_MS', 10_000, 100, 600_000),
    bulkheadLimit: env.integer('REMOTE_BULKHEAD_LIMIT', 10, 1, 10_000),
    bulkheadQueue: env.integer('REMOTE_BULKHEAD_QUEUE', 20, 0, 100_000),
  };
}
