// Requests per client address on every route, counted in PostgreSQL through @fastify/rate-limit's
// store interface, so N replicas allow the limit once, not N times. The client address is
// `request.ip`: behind a gateway that is only the real client when TRUST_PROXY lists the gateway.
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from '../http/problem.js';
import type { RateLimitStore } from './rate-limit-store.js';

export interface GlobalRateLimitOptions {
  store: RateLimitStore;
  max: number;
  windowMs: number;
}

export async function registerGlobalRateLimit(server: FastifyInstance, options: GlobalRateLimitOptions): Promise<void> {
  await server.register(rateLimit, {
    // One hook on the root (below) rather than one per route: it also covers unknown URLs, and runs
    // before route hooks such as authentication.
    global: false,
    max: options.max,
    timeWindow: options.windowMs,
    store: sharedStore(options.store),
    allowList: (request) => exempt(request),
    // A database outage must not turn every route into a 500: the routes that need it fail anyway.
    skipOnError: true,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new HttpProblem(429, `Too many requests from this address; retry in ${seconds} seconds`, {
        headers: { 'retry-after': String(seconds) },
      });
    },
  });
  server.addHook('onRequest', server.rateLimit());
}

// Probes and scrapers must keep working while a client is limited, and contract calls between the
// deployment's own processes come from a few addresses with a service token: limiting them per
// address would throttle every user at once. Matched on the route, not the raw URL, so that no
// spelling of another path can pass for an exempt one.
function exempt(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  return route.startsWith('/health/') || route === '/metrics' || route.startsWith('/internal/');
}

function sharedStore(store: RateLimitStore): FastifyRateLimitStoreCtor {
  return class SharedStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      store.increment(`global|${key}`, timeWindow).then(
        (count) => callback(null, { current: count.hits, ttl: count.msLeft }),
        (error: Error) => callback(error),
      );
    }

    child(): FastifyRateLimitStore {
      return new SharedStore();
    }
  };
}
