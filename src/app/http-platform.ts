// The HTTP platform every process serves, whatever modules it hosts: request ids, validation and
// problem+json errors, security headers, the per-client request limit, the API documents, bearer
// authentication (with revoked users refused), metrics, health and the dead-letter admin routes.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppConfig } from '../config.js';
import { createAccessRevocations } from '../platform/access/access-revocations.js';
import { accessRevocationSubscription } from '../platform/access/record-status-change.js';
import { authPlugin } from '../platform/http/auth.js';
import { requestTimeoutOptions } from '../platform/http/client-error.js';
import { registerDeadLetterRoutes } from '../platform/http/dead-letter.routes.js';
import { registerDocs } from '../platform/http/docs.js';
import { registerRemoteModuleDocs } from '../platform/http/remote-module-docs.js';
import { installDrain, type Drain } from '../platform/http/drain.js';
import { answerFrameworkError, installErrorHandling } from '../platform/http/error-handler.js';
import { registerHealth } from '../platform/http/health.js';
import { registerMetrics } from '../platform/http/metrics.js';
import { requestIdFrom } from '../platform/http/request-id.js';
import { OneLinePerRequest } from '../platform/http/request-log.js';
import { registerSecurityHeaders } from '../platform/http/security-headers.js';
import { installValidation } from '../platform/http/validation.js';
import type { Logger } from '../platform/logging/logger.js';
import type { ModuleDefinition } from '../platform/modules/module-definition.js';
import { registerGlobalRateLimit } from '../platform/rate-limit/global-rate-limit.js';
import { nameServerSpan, serverWithSpans } from '../platform/observability/http-server-spans.js';
import { declaredQueues } from '../platform/observability/module-queues.js';
import { labelRoutesWithModule, moduleOfRequest } from '../platform/observability/route-modules.js';
import { registerSubscriptionGauges } from '../platform/observability/subscription-gauges.js';
import { tracingStarted } from '../platform/observability/tracing.js';
import { UsersEvents } from '../modules/users/api.js';
import type { Infrastructure } from './infrastructure.js';

/** The server, and its drain: readiness first, then close (see drain.ts). */
export function createServer(config: AppConfig, logger: Logger): { server: FastifyInstance; drain: Drain } {
  const server: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: requestIdFrom,
    logController: new OneLinePerRequest(logger),
    requestIdHeader: false,
    trustProxy: config.http.trustProxy,
    bodyLimit: 256 * 1024,
    ...requestTimeoutOptions(config.http),
    frameworkErrors: answerFrameworkError,
    // Requests arriving while closing get drain.ts's problem+json instead of Fastify's plain 503.
    return503OnClosing: false,
    // A span per request, only once tracing is started (main.ts): tests that build an app skip it.
    ...(tracingStarted() ? { serverFactory: serverWithSpans } : {}),
  });
  server.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (tracingStarted()) {
    server.addHook('onRequest', (request, _reply, done) => {
      nameServerSpan(request, moduleOfRequest(request));
      done();
    });
  }
  const drain = installDrain(server);
  installValidation(server);
  installErrorHandling(server);
  return { server, drain };
}

export interface HttpPlatformOptions {
  config: AppConfig;
  logger: Logger;
  /** Every module, hosted here or not: the AsyncAPI document describes all their events. */
  definitions: readonly ModuleDefinition[];
  infrastructure: Infrastructure;
  /** The modules this process hosts; the others are documented from their definitions. */
  hosted: readonly string[];
  /** Readiness says 503 while it drains. */
  drain: Drain;
  jwtSecret: string;
}

/** Registers the platform's plugins and routes; resolves to a starter run once the app is wired. */
export async function registerHttpPlatform(server: FastifyInstance, options: HttpPlatformOptions): Promise<() => Promise<void>> {
  const { config, logger, definitions, infrastructure } = options;
  const { database, bus, rateLimitStore } = infrastructure;
  // First: every route registered from here on carries the module owning it (metrics, traces).
  labelRoutesWithModule(server, definitions);
  // Before anything that may answer early (rate limits), so every answer carries the headers.
  await registerSecurityHeaders(server);
  if (config.http.rateLimit.max > 0) await registerGlobalRateLimit(server, { store: rateLimitStore, ...config.http.rateLimit });
  await registerDocs(server, definitions);

  const revocations = createAccessRevocations({
    db: database.db,
    refreshMs: config.accessRevocationRefreshMs,
    logger: logger.child({ component: 'access' }),
  });
  // Every process feeds the view (whichever gets the event) and reads it, wherever users lives.
  if (bus.matchingTypes(UsersEvents.userStatusChanged.type).length > 0) {
    bus.subscribe(accessRevocationSubscription(UsersEvents.userStatusChanged));
  }
  server.addHook('onClose', async () => revocations.stop());
  await server.register(authPlugin, { secret: options.jwtSecret, revocations });
  // Modules hosted elsewhere are documented here too (after auth: their routes name its hooks).
  await registerRemoteModuleDocs(server, { definitions, logger, hostedHere: (module) => options.hosted.includes(module) });

  const metrics = await registerMetrics(server, { ...config.http.metrics, host: config.host });
  registerSubscriptionGauges(metrics, {
    sql: database.sql,
    schema: 'pgboss', // as infrastructure.ts starts pg-boss
    // The queues hosted here (the platform's own included) and those kept for modules hosted elsewhere.
    queues: () => [...bus.queues, ...declaredQueues(definitions)],
    logger: logger.child({ component: 'metrics' }),
  });
  await registerHealth(server, infrastructure.readiness, () => options.drain.draining);
  await registerDeadLetterRoutes(server, bus);
  return () => revocations.start();
}
