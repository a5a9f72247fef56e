// What modules get to limit abuse per client address (ModuleContext.rateLimiter). An attempt is
// counted when it starts, so a burst of parallel requests is limited as well as a sequence; the
// caller gives it back when it turns out not to count (a sign-in that was not a wrong guess).
import { normalizeIP } from '@fastify/rate-limit';
import type { RateLimitStore, WindowCount } from './rate-limit-store.js';

export interface Limit {
  /** Names the counter, e.g. `login-address`. */
  name: string;
  /** Narrows the counter below the client address (e.g. an account's email). */
  subject?: string;
  /** Attempts allowed per window; 0 turns the limit off. */
  max: number;
  windowMs: number;
}

export type Attempt =
  | { allowed: true; giveBack(): Promise<void> }
  | { allowed: false; limit: string; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one attempt by the client at `clientAddress` against every limit; refused (and not counted) when any is exceeded. */
  attempt(clientAddress: string, limits: readonly Limit[]): Promise<Attempt>;
}

export function createRateLimiter(store: RateLimitStore): RateLimiter {
  return {
    async attempt(clientAddress, limits) {
      // The same client key as the global limit: one IPv6 /64 is one client, not 2^64 of them.
      const client = normalizeIP(clientAddress);
      const counters = limits
        .filter((limit) => limit.max > 0)
        .map((limit) => ({ limit, key: [limit.name, client, ...(limit.subject === undefined ? [] : [limit.subject])].join('|') }));
      const counts = await Promise.all(counters.map(({ limit, key }) => store.increment(key, limit.windowMs)));
      const giveBack = async () => {
        await Promise.all(counters.map(({ key }, index) => store.giveBack(key, counts[index]!)));
      };
      const exceeded = counters
        .map((counter, index) => ({ ...counter, count: counts[index] as WindowCount }))
        .filter(({ limit, count }) => count.hits > limit.max)
        .sort((a, b) => b.count.msLeft - a.count.msLeft);
      if (exceeded.length === 0) return { allowed: true, giveBack };
      // A refused attempt tried nothing: it must not use up another limit it passed.
      await giveBack();
      return { allowed: false, limit: exceeded[0]!.limit.name, retryAfterSeconds: Math.max(1, Math.ceil(exceeded[0]!.count.msLeft / 1000)) };
    },
  };
}
