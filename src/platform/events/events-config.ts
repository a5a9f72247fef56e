// The event bus's settings: retries of parked events, polling, how fast a dead worker's job moves
// to another process, and how long the event log keeps what was delivered.
import type { EnvReader } from '../config/env-reader.js';

export interface EventsConfig {
  retryLimit: number;
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  pollingIntervalSeconds: number;
  /** Heartbeat that lets another process take over a job whose worker died (pg-boss minimum 10). */
  heartbeatSeconds: number;
  /** How often pg-boss looks for jobs whose heartbeat stopped. */
  superviseIntervalSeconds: number;
  /** How long the event log keeps events every subscription has read (for replay); 0 keeps them for ever. */
  retentionDays: number;
}

export function readEventsConfig(env: EnvReader): EventsConfig {
  return {
    retryLimit: env.integer('EVENTS_RETRY_LIMIT', 5, 0, 100),
    retryDelaySeconds: env.integer('EVENTS_RETRY_DELAY_SECONDS', 2, 1, 3600),
    retryDelayMaxSeconds: env.integer('EVENTS_RETRY_DELAY_MAX_SECONDS', 300, 1, 86_400),
    pollingIntervalSeconds: env.number('EVENTS_POLLING_INTERVAL_SECONDS', 2, 0.5, 60),
    heartbeatSeconds: env.integer('EVENTS_HEARTBEAT_SECONDS', 10, 10, 3600),
    superviseIntervalSeconds: env.integer('EVENTS_SUPERVISE_INTERVAL_SECONDS', 2, 1, 3600),
    retentionDays: env.integer('EVENTS_RETENTION_DAYS', 30, 0, 36_500),
  };
}
