// The composition root: builds the app from the modules this process hosts, in three parts with
// one job each: the infrastructure it stands on (app/infrastructure.ts), the HTTP platform every
// process serves (app/http-platform.ts), and the modules it hosts or reaches (app/host-modules.ts).
// Modules never import each other; each gets the contracts it declared it needs from here.
// Shutdown is one call, `server.close()`: it stops taking requests, lets in-flight ones finish,
// then runs the onClose hooks each part registered as it opened, last opened first.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from './config.js';
import { ALL_MODULES } from './module-registry.js';
import type { Database } from './platform/db/database.js';
import type { EventBus } from './platform/events/event-bus.js';
import type { Logger } from './platform/logging/logger.js';
import type { ModuleDefinition } from './platform/modules/module-definition.js';
import { resolveHostedModules } from './platform/modules/resolve-modules.js';
import { hostModules } from './app/host-modules.js';
import { createServer, registerHttpPlatform } from './app/http-platform.js';
import { openInfrastructure } from './app/infrastructure.js';

export interface BuildAppOptions {
  config: AppConfig;
  databaseUrl: string;
  logger: Logger;
  secrets: { jwtSecret: string; serviceTokenSecret: string };
  /** Defaults to ALL_MODULES; tests add fixture modules. */
  definitions?: readonly ModuleDefinition[];
  /** Modules to host; defaults to config.modules (tests host fixture modules this way). */
  hostedModules?: readonly string[];
  /** Contract implementations that replace the hosted ones, by module name (test stand-ins). */
  contracts?: Record<string, unknown>;
}

export interface App {
  server: FastifyInstance;
  bus: EventBus;
  database: Database;
  hosted: string[];
  /** Readiness answers 503 from now on, while requests are still served: a load balancer's cue to stop sending. */
  drain(): void;
  /** Stops taking requests, lets in-flight requests and handlers finish, closes connections. */
  close(): Promise<void>;
}

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config, logger } = options;
  const definitions = options.definitions ?? ALL_MODULES;
  const overrides = options.contracts ?? {};
  const hosted = resolveHostedModules(
    definitions,
    options.hostedModules ?? config.modules,
    new Set([...Object.keys(overrides), ...Object.keys(config.remoteModules)]),
  );

  const { server, drain } = createServer(config, logger);
  try {
    const infrastructure = await openInfrastructure(server, { config, logger, databaseUrl: options.databaseUrl, definitions, hosted });
    const startPlatform = await registerHttpPlatform(server, { config, logger, definitions, infrastructure, hosted: hosted.map((definition) => definition.name), drain, jwtSecret: options.secrets.jwtSecret });
    const startModules = await hostModules(server, {
      config,
      logger,
      definitions,
      hosted,
      infrastructure,
      overrides,
      serviceTokenSecret: options.secrets.serviceTokenSecret,
    });
    await startPlatform();
    await infrastructure.bus.start();
    await startModules();
    await server.ready();

    let closing: Promise<void> | undefined;
    return {
      server,
      bus: infrastructure.bus,
      database: infrastructure.database,
      hosted: hosted.map((definition) => definition.name),
      drain: () => drain.begin(),
      close: () => (closing ??= server.close()),
    };
  } catch (error) {
    // Whatever opened before the failure is closed again (its hooks are registered).
    await server.close().catch((closeError: unknown) => logger.warn({ err: closeError }, 'closing after a failed start-up failed too'));
    throw error;
  }
}
