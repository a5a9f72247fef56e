// What a business module is, to the platform: defined once, hosted by any process that lists it in
// MODULES. The composition root (app.ts) hands each hosted module what it needs; a module never
// reaches for another module's code, only for the contracts it declared in `needs`.
import type { FastifyPluginAsync } from 'fastify';
import type { AppConfig } from '../../config.js';
import type { Db, Tx } from '../db/database.js';
import type { Publish, Subscription } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { ContractMethods } from '../remote/contract-methods.js';

export interface ModuleContext {
  config: AppConfig;
  /** A child logger named after the module. */
  logger: Logger;
  db: Db;
  /** Runs `work` in one transaction; events published through it commit with the change. */
  transaction<T>(work: (tx: Tx, publish: Publish) => Promise<T>): Promise<T>;
  /** Contract implementations of the modules listed in `needs`, by module name. */
  contracts: Readonly<Record<string, unknown>>;
}

export type ModuleSubscription = Omit<Subscription, 'module' | 'schema'>;

export interface HostedModule<Api = unknown> {
  /** The contract other modules call; absent when the module offers none. */
  api?: Api;
  /** Fastify plugin with the module's public routes (full paths, under `routePrefixes`). */
  routes: FastifyPluginAsync;
  /** Subscriptions whose handlers need the module's services (prefer the definition's). */
  subscriptions?: ModuleSubscription[];
  /** Runs once the app is wired, before it serves (e.g. seeding). */
  onStart?(): Promise<void>;
}

export interface ModuleDefinition<Api = unknown> {
  name: string;
  /** The Postgres schema holding all of this module's tables. */
  schema: string;
  /** Public URL prefixes the module serves; the proxy forwards these when it is remote. */
  routePrefixes: readonly string[];
  /** Event types this module publishes (`<module>.<past-tense>`). */
  publishes: readonly string[];
  /** Modules whose contracts this one calls. */
  needs: readonly string[];
  /**
   * Event subscriptions. Declared on the definition (not by `create`) so that every process, even
   * one that does not host this module, keeps the module's queues subscribed: events published
   * while the module's own process is down wait for it instead of being lost.
   */
  subscriptions?: readonly ModuleSubscription[];
  /** The methods of the contract it offers, so it can be served to and called from other processes. */
  contract?: ContractMethods<Api>;
  create(context: ModuleContext): HostedModule<Api>;
}
