// Every client address and account ever limited leaves a row; ended windows are deleted now and
// then, in bounded batches so that one sweep never holds many locks or runs long.
import type { Logger } from '../logging/logger.js';
import type { RateLimitStore } from './rate-limit-store.js';

const BATCH = 1000;
const MAX_BATCHES_PER_SWEEP = 10;

/** Starts sweeping every `everyMs`; the returned function stops it. */
export function sweepExpiredCounters(store: RateLimitStore, options: { everyMs: number; logger: Logger }): () => void {
  const sweep = async () => {
    for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch += 1) {
      if ((await store.deleteExpired(BATCH)) < BATCH) return;
    }
  };
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => options.logger.warn({ err: error }, 'could not delete ended rate-limit windows'));
  }, options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
