// What the application stands on: the platform's database pool, a pool per hosted module (as the
// module's own role), the shared rate-limit counters and the event bus over pg-boss. Each piece
// registers its own close on the server as it opens; Fastify runs onClose hooks last-registered
// first, so the pieces close in the reverse order they opened: the bus (letting running handlers
// finish) before the pools its handlers use, the module pools before the platform's.
//
// Readiness covers every pool requests are served from: the platform's, each hosted module's and
// pg-boss's. Each pool reconnects by itself, within about a second of PostgreSQL coming back (see
// platform/db/database.ts), so readiness says 200 again only once all of them work.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PgBoss } from 'pg-boss';
import postgres from 'postgres';
import type { AppConfig } from '../config.js';
import { connectDatabase, connectionSettings, type Database, type Db } from '../platform/db/database.js';
import { ensureModuleRoles, moduleRole } from '../platform/db/module-roles.js';
import { EventBus, type Listen } from '../platform/events/event-bus.js';
import { eventsSchema } from '../platform/events/event-log-schema.js';
import type { HealthChecks } from '../platform/http/health.js';
import type { Logger } from '../platform/logging/logger.js';
import type { ModuleDefinition } from '../platform/modules/module-definition.js';
import { sweepExpiredCounters } from '../platform/rate-limit/expired-counter-sweeper.js';
import { createRateLimitStore, type RateLimitStore } from '../platform/rate-limit/rate-limit-store.js';
import { createRateLimiter, type RateLimiter } from '../platform/rate-limit/rate-limiter.js';

/** The name the platform's own subscriptions run under (their inbox is in schema `platform`). */
export const PLATFORM = 'platform';

export interface Infrastructure {
  /** The login user's pool: health checks, rate-limit counters, the platform's own subscriptions. */
  database: Database;
  rateLimitStore: RateLimitStore;
  rateLimiter: RateLimiter;
  boss: PgBoss;
  bus: EventBus;
  /** The database of a hosted module (or of the platform); throws for a module hosted elsewhere. */
  databaseOf(module: string): Db;
  /** What readiness checks: `database` (the platform's pool and every hosted module's) and `jobQueue` (pg-boss's). */
  readiness: HealthChecks;
}

export interface InfrastructureOptions {
  config: AppConfig;
  logger: Logger;
  databaseUrl: string;
  /** Every module: their schemas get roles, their events form the bus's catalog. */
  definitions: readonly ModuleDefinition[];
  hosted: readonly ModuleDefinition[];
}

export async function openInfrastructure(server: FastifyInstance, options: InfrastructureOptions): Promise<Infrastructure> {
  const { config, logger, databaseUrl, definitions, hosted } = options;
  const closing = (what: string, close: () => unknown) =>
    server.addHook('onClose', async () => {
      await close();
      logger.debug(`closed: ${what}`);
    });

  // A pool replaces itself when a session ends under a statement (a restart): worth a line.
  const replaced = (pool: string) => (error: unknown) =>
    logger.warn({ pool, err: error }, `database pool ${pool} lost a session under a statement; replaced with a fresh pool`);
  // Small: a sign-in counts two rate limits at once; modules get pools of their own below.
  const database = connectDatabase(databaseUrl, { max: 5, applicationName: 'shop:platform', onReplaced: replaced(PLATFORM) });
  closing('platform database', () => database.close());
  const rateLimitStore = createRateLimitStore(database.sql);
  const stopSweeping = sweepExpiredCounters(rateLimitStore, { everyMs: 60_000, logger });
  closing('rate-limit sweeper', stopSweeping);

  // Names this process in the event log's notifications, so that it ignores its own commits.
  const instance = randomUUID().slice(0, 8);
  // Pools connect lazily: a module's role (granted below) is taken when its first query connects.
  const moduleDatabases = new Map(
    hosted.map((definition) => [
      definition.name,
      connectDatabase(databaseUrl, {
        max: 5,
        applicationName: `shop:${definition.name}`,
        onReplaced: replaced(definition.name),
        instance,
        ...(config.moduleDatabaseRoles ? { role: moduleRole(definition.schema) } : {}),
      }),
    ]),
  );
  closing('module databases', () => Promise.all([...moduleDatabases.values()].map((moduleDatabase) => moduleDatabase.close())));
  const databaseOf = (module: string) => {
    if (module === PLATFORM) return database.db;
    const moduleDatabase = moduleDatabases.get(module);
    if (!moduleDatabase) throw new Error(`module ${module} is not hosted by this process`);
    return moduleDatabase.db;
  };

  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: 'pgboss',
    max: 4,
    application_name: 'shop:events',
    useListenNotify: true,
    superviseIntervalSeconds: config.events.superviseIntervalSeconds,
    monitorIntervalSeconds: config.events.superviseIntervalSeconds,
    // The bus opens its own spans (events/event-spans.ts), carried in the envelope so that retries
    // and redriven dead letters stay in the publisher's trace; pg-boss's would double them.
    openTelemetry: { enabled: false },
  });
  boss.on('error', (error) => logger.error({ err: error }, 'event bus error'));
  const bus = new EventBus({
    boss,
    databaseOf,
    db: database.db,
    listen: listenOn(databaseUrl, closing),
    instance,
    logger: logger.child({ component: 'events' }),
    config: config.events,
    catalog: definitions.flatMap((definition) => definition.publishes),
  });
  // Stops pg-boss too: running handlers get SHUTDOWN_TIMEOUT_MS to finish, before the pools close.
  closing('event bus', () => bus.stop(config.shutdownTimeoutMs));
  await boss.start();
  if (config.moduleDatabaseRoles) {
    await ensureModuleRoles(databaseUrl, definitions.map((definition) => definition.schema), ['pgboss', eventsSchema.schemaName]);
  }
  const readiness: HealthChecks = {
    database: {
      [PLATFORM]: () => database.ping(),
      ...Object.fromEntries([...moduleDatabases].map(([name, moduleDatabase]) => [name, () => moduleDatabase.ping()])),
    },
    jobQueue: async () => {
      await boss.getDb().executeSql('select 1');
    },
  };
  return { database, rateLimitStore, rateLimiter: createRateLimiter(rateLimitStore), boss, bus, databaseOf, readiness };
}

// LISTEN needs a session of its own that no pool replaces: postgres.js keeps it and listens again
// after a reconnect (what was committed meanwhile is found by polling).
function listenOn(databaseUrl: string, closing: (what: string, close: () => unknown) => void): Listen {
  return async (channel, onMessage) => {
    const listener = postgres(databaseUrl, { ...connectionSettings(), max: 1, onnotice: () => {}, connection: { application_name: 'shop:events-listener' } });
    closing('event notifications', () => listener.end({ timeout: 2 }));
    const { unlisten } = await listener.listen(channel, onMessage);
    return unlisten;
  };
}
