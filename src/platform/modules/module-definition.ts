// What a business module is, to the platform: defined once, hosted by any process that lists it in
// MODULES. The composition root (app.ts) hands each hosted module what it needs; a module never
// reaches for another module's code, only for the contracts it declared in `needs`.
import type { FastifyPluginAsync } from 'fastify';
import type { EnvReader } from '../config/env-reader.js';
import type { Db, Tx } from '../db/database.js';
import type { EventHandler, HandlerContext, Publish, Schedule, Subscription } from '../events/event-bus.js';
import type { EventData, EventDefinition } from '../events/event-definition.js';
import type { EventEnvelope } from '../events/event-envelope.js';
import type { Logger } from '../logging/logger.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { ContractDefinition } from '../remote/contract-definition.js';

export interface ModuleContext<Config = unknown> {
  /** The module's own settings, as its definition's `config` read them at start-up. */
  config: Config;
  /** A child logger named after the module. */
  logger: Logger;
  db: Db;
  /** Runs `work` in one transaction; events published and timers scheduled through it commit with the change. */
  transaction<T>(work: (tx: Tx, publish: Publish, schedule: Schedule) => Promise<T>): Promise<T>;
  /**
   * The implementation of a contract the module listed in `needs`, typed by the contract's
   * definition in its owner's published language; in process or remote, the same interface.
   * Throws for a contract the module did not declare.
   */
  contract<Api>(definition: ContractDefinition<Api>): Api;
  /** Per-client-address limits counted in the platform's database, shared by every replica. */
  rateLimiter: RateLimiter;
}

export type ModuleSubscription = Omit<Subscription, 'module' | 'schema'>;

/**
 * A subscription to one version of another module's event, as its publisher defines it: the
 * handler gets the data in that version's shape, checked against its schema.
 */
export function on<Definition extends EventDefinition>(
  event: Definition,
  name: string,
  handler: (event: EventEnvelope<EventData<Definition>, Definition['type']>, context: HandlerContext) => Promise<void>,
): ModuleSubscription {
  return { name, pattern: event.type, reads: event, handler: handler as EventHandler };
}

/** Delayed work of the module's own, scheduled with `schedule` and handled once, like an event. */
export interface ModuleTimer<Config = unknown> {
  /** Unique within the module, kebab-case, e.g. `expire-unpaid-order`. */
  name: string;
  /** How long after being scheduled it fires, from the module's settings in the hosting process. */
  afterSeconds(config: Config): number;
  handler: EventHandler;
}

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

export interface ModuleDefinition<Api = unknown, Config = unknown> {
  name: string;
  /** The Postgres schema holding all of this module's tables. */
  schema: string;
  /** Public URL prefixes the module serves; the proxy forwards these when it is remote. */
  routePrefixes: readonly string[];
  /** The events this module publishes, each in its newest version, from its published language. */
  publishes: readonly EventDefinition[];
  /** Modules whose contracts this one calls. */
  needs: readonly string[];
  /**
   * Event subscriptions. Declared on the definition (not by `create`) so that every process, even
   * one that does not host this module, keeps the module's queues subscribed: events published
   * while the module's own process is down wait for it instead of being lost.
   */
  subscriptions?: readonly ModuleSubscription[];
  /** Timers, declared here for the same reason as subscriptions: every process keeps their queues. */
  timers?: readonly ModuleTimer<Config>[];
  /** The contract it offers, from its published language: served to and called from other processes. */
  contract?: ContractDefinition<Api>;
  /**
   * Reads and checks the module's own settings from the environment (a bad value stops start-up
   * with one line naming the variable). Read only where the module is hosted.
   */
  config?(env: EnvReader): Config;
  create(context: ModuleContext<Config>): HostedModule<Api>;
}
