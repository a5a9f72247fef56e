// The composition root: builds the app from the modules this process hosts. Modules never import
// each other; each gets the contracts it declared it needs from here.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { PgBoss } from 'pg-boss';
import type { AppConfig } from './config.js';
import { ALL_MODULES } from './module-registry.js';
import { createAccessRevocations } from './platform/access/access-revocations.js';
import { accessRevocationSubscription } from './platform/access/record-status-change.js';
import { connectDatabase, type Database } from './platform/db/database.js';
import { ensureModuleRoles, moduleRole } from './platform/db/module-roles.js';
import { EventBus } from './platform/events/event-bus.js';
import { authPlugin } from './platform/http/auth.js';
import { requestTimeoutOptions } from './platform/http/client-error.js';
import { registerDeadLetterRoutes } from './platform/http/dead-letter.routes.js';
import { registerDocs } from './platform/http/docs.js';
import { answerFrameworkError, installErrorHandling } from './platform/http/error-handler.js';
import { registerHealth } from './platform/http/health.js';
import { registerMetrics } from './platform/http/metrics.js';
import { requestIdFrom } from './platform/http/request-id.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import { installValidation } from './platform/http/validation.js';
import type { Logger } from './platform/logging/logger.js';
import type { ModuleDefinition } from './platform/modules/module-definition.js';
import { resolveHostedModules } from './platform/modules/resolve-modules.js';
import { registerRemoteModuleProxy } from './platform/proxy/remote-module-proxy.js';
import { sweepExpiredCounters } from './platform/rate-limit/expired-counter-sweeper.js';
import { registerGlobalRateLimit } from './platform/rate-limit/global-rate-limit.js';
import { createRateLimitStore } from './platform/rate-limit/rate-limit-store.js';
import { createRateLimiter } from './platform/rate-limit/rate-limiter.js';
import type { ContractDefinition } from './platform/remote/contract-definition.js';
import type { ContractMethods } from './platform/remote/contract-methods.js';
import { registerContractRoutes } from './platform/remote/contract-routes.js';
import { createRemoteContract } from './platform/remote/remote-contract.js';
import { UsersEvents } from './modules/users/api.js';

/** The name the platform's own subscriptions run under (their inbox is in schema `platform`). */
const PLATFORM = 'platform';

export interface BuildAppOptions {
  config: AppConfig;
  databaseUrl: string;
  logger: Logger;
  secrets: { jwtSecret: string; serviceTokenSecret: string };
  /** Defaults to ALL_MODULES; tests add fixture modules. */
  definitions?: readonly ModuleDefinition[];
  /** Modules to host; defaults to config.modules (tests host fixture modules this way). */
  hostedModules?: readonly string[];
  /** Contract implementations that replace the hosted ones (tests hand in failing contracts). */
  contracts?: Record<string, unknown>;
}

export interface App {
  server: FastifyInstance;
  bus: EventBus;
  database: Database;
  hosted: string[];
  /** Stops taking requests, lets in-flight requests and handlers finish, closes connections. */
  close(): Promise<void>;
}

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config, logger } = options;
  const definitions = options.definitions ?? ALL_MODULES;
  const overrides = options.contracts ?? {};
  const remotes = config.remoteModules;
  const hostedDefinitions = resolveHostedModules(
    definitions,
    options.hostedModules ?? config.modules,
    new Set([...Object.keys(overrides), ...Object.keys(remotes)]),
  );
  const definitionOf = (name: string) => definitions.find((definition) => definition.name === name)!;

  // The login user's pool for health checks and the rate-limit counters (a sign-in counts two at
  // once); modules get pools of their own below.
  const database = connectDatabase(options.databaseUrl, { max: 5, applicationName: 'shop:platform' });
  const rateLimitStore = createRateLimitStore(database.sql);
  const rateLimiter = createRateLimiter(rateLimitStore);
  const stopSweepingCounters = sweepExpiredCounters(rateLimitStore, { everyMs: 60_000, logger });
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: 'pgboss',
    max: 4,
    application_name: 'shop:events',
    useListenNotify: true,
    superviseIntervalSeconds: config.events.superviseIntervalSeconds,
    monitorIntervalSeconds: config.events.superviseIntervalSeconds,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'event bus error'));
  await boss.start();
  if (config.moduleDatabaseRoles) {
    await ensureModuleRoles(options.databaseUrl, definitions.map((definition) => definition.schema), 'pgboss');
  }
  const moduleDatabases = new Map(
    hostedDefinitions.map((definition) => [
      definition.name,
      connectDatabase(options.databaseUrl, {
        max: 5,
        applicationName: `shop:${definition.name}`,
        ...(config.moduleDatabaseRoles ? { role: moduleRole(definition.schema) } : {}),
      }),
    ]),
  );
  const databaseOf = (module: string) => {
    if (module === PLATFORM) return database.db;
    const moduleDatabase = moduleDatabases.get(module);
    if (!moduleDatabase) throw new Error(`module ${module} is not hosted by this process`);
    return moduleDatabase.db;
  };
  const bus = new EventBus({
    boss,
    databaseOf,
    logger: logger.child({ component: 'events' }),
    config: config.events,
    catalog: definitions.flatMap((definition) => definition.publishes),
  });

  const server: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: requestIdFrom,
    requestIdHeader: false,
    trustProxy: config.http.trustProxy,
    bodyLimit: 256 * 1024,
    ...requestTimeoutOptions(config.http),
    frameworkErrors: answerFrameworkError,
  });
  server.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installValidation(server);
  installErrorHandling(server);
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
  await server.register(authPlugin, {
    secret: options.secrets.jwtSecret,
    revocations,
  });
  await registerMetrics(server, { ...config.http.metrics, host: config.host });
  await registerHealth(server, {
    database: async () => {
      await database.sql`select 1`;
    },
    jobQueue: async () => {
      await boss.getDb().executeSql('select 1');
    },
  });
  await registerDeadLetterRoutes(server, bus);

  // Public routes of remote modules are forwarded, so clients keep one address. Registered before
  // the hosted modules' routes: a canary split must see their requests first.
  for (const [name, remote] of Object.entries(remotes)) {
    await registerRemoteModuleProxy(server, {
      module: name,
      prefixes: definitionOf(name).routePrefixes,
      urls: remote.urls,
      weight: remote.weight,
      hostedLocally: hostedDefinitions.some((definition) => definition.name === name),
    });
  }
  const remoteContract = (caller: string, target: string) =>
    createRemoteContract({
      caller,
      target,
      urls: remotes[target]!.urls,
      methods: definitionOf(target).contract as ContractMethods<Record<string, () => Promise<unknown>>>,
      secret: options.secrets.serviceTokenSecret,
      policy: config.remoteCalls,
      logger,
    }).api;

  const apis: Record<string, unknown> = {};
  const starters: Array<() => Promise<void>> = [];
  for (const definition of hostedDefinitions) {
    const contracts = new Map(definition.needs.map((name) => [name, overrides[name] ?? apis[name] ?? remoteContract(definition.name, name)]));
    const contract = <Api>({ module }: ContractDefinition<Api>): Api => {
      if (!contracts.has(module)) throw new Error(`module ${definition.name} uses the ${module} contract without listing it in needs`);
      return contracts.get(module) as Api;
    };
    if (definition.config && !(definition.name in config.moduleConfigs)) {
      throw new Error(`module ${definition.name} is hosted, but its settings were not read: list it in MODULES`);
    }
    const hosted = definition.create({
      config: config.moduleConfigs[definition.name],
      logger: logger.child({ module: definition.name }),
      db: databaseOf(definition.name),
      transaction: (work) => bus.transaction(definition.name, work),
      contract,
      rateLimiter,
    });
    apis[definition.name] = hosted.api;
    await server.register(hosted.routes);
    if (hosted.api && definition.contract) {
      // Other processes call this module's contract here, with a service token.
      await registerContractRoutes(server, {
        module: definition.name,
        api: hosted.api as Record<string, () => Promise<unknown>>,
        methods: definition.contract as ContractMethods<Record<string, () => Promise<unknown>>>,
        secret: options.secrets.serviceTokenSecret,
      });
    }
    for (const subscription of [...(definition.subscriptions ?? []), ...(hosted.subscriptions ?? [])]) {
      bus.subscribe({ ...subscription, module: definition.name, schema: definition.schema });
    }
    for (const timer of definition.timers ?? []) {
      bus.handleTimer({ ...timer, module: definition.name, schema: definition.schema, afterSeconds: timer.afterSeconds(config.moduleConfigs[definition.name]) });
    }
    if (hosted.onStart) starters.push(hosted.onStart);
  }

  for (const definition of definitions) {
    if (hostedDefinitions.includes(definition)) continue;
    for (const { name, pattern } of definition.subscriptions ?? []) bus.declare({ module: definition.name, name, pattern });
    for (const { name } of definition.timers ?? []) bus.declareTimer({ module: definition.name, name });
  }
  await revocations.start();
  await bus.start();
  for (const start of starters) await start();
  await server.ready();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await server.close();
      revocations.stop();
      await bus.stop(config.shutdownTimeoutMs);
      await Promise.all([...moduleDatabases.values()].map((moduleDatabase) => moduleDatabase.close()));
      stopSweepingCounters();
      await database.close();
    })();
    return closing;
  };
  return { server, bus, database, hosted: hostedDefinitions.map((definition) => definition.name), close };
}
