// Prometheus metrics: process defaults plus a request-duration histogram per route and module, in
// the app's registry, served together with the process-wide metrics of the event bus and the remote
// contracts (observability/shop-metrics.ts). They tell anyone how the service is built and loaded,
// so they are guarded: a bearer token (METRICS_TOKEN), or a listener of their own (METRICS_PORT)
// that only the monitoring network reaches, or both.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { moduleOfRequest } from '../observability/route-modules.js';
import { processMetrics } from '../observability/shop-metrics.js';
import type { MetricsConfig } from './http-config.js';
import { installErrorHandling } from './error-handler.js';
import { problem } from './problem.js';

export interface MetricsOptions extends MetricsConfig {
  /** The address the metrics listener binds to when `port` is set. */
  host: string;
}

export async function registerMetrics(server: FastifyInstance, options: MetricsOptions): Promise<Registry> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route, status and the module whose route served it',
    labelNames: ['method', 'route', 'status_code', 'module'] as const,
    registers: [registry],
  });
  server.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        // The route's template, never the raw URL: one series per route, whatever clients send.
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
        module: moduleOfRequest(request),
      },
      reply.elapsedTime / 1000,
    );
  });

  const serveMetrics = (target: FastifyInstance) =>
    target.get('/metrics', { schema: { hide: true }, onRequest: bearerGuard(options.token) }, async (_request, reply) => {
      // Merged at each scrape, so metrics registered on the app's registry after this (the
      // subscription gauges) are served too; merging refuses a name defined in both.
      const merged = Registry.merge([registry, processMetrics]);
      reply.type(merged.contentType);
      return merged.metrics();
    });

  if (options.port === null) {
    serveMetrics(server);
    return registry;
  }
  const listener = Fastify({ loggerInstance: server.log.child({ component: 'metrics' }) });
  installErrorHandling(listener);
  serveMetrics(listener);
  // Opened with the app (ready) so a port already taken stops start-up, closed with it.
  server.addHook('onReady', async () => {
    await listener.listen({ port: options.port!, host: options.host });
  });
  server.addHook('onClose', async () => {
    await listener.close();
  });
  return registry;
}

function bearerGuard(token: string | null) {
  if (token === null) return [];
  const expected = digest(token);
  return async (request: FastifyRequest) => {
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      throw problem.unauthorized('A valid metrics token is required');
    }
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
