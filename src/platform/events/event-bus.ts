// The durable in-process event bus.
//
// Publishing: a module writes its change and its events in one transaction (`bus.transaction`).
// The events are appended to the event log (event-log.ts), one row per event and one statement
// per transaction, just before it commits: a rollback leaves no event, a commit always leaves them.
//
// Subscribing: a subscription reads the log from its own checkpoint, in batches, in log order
// (batch-delivery.ts): its handlers' writes and its new checkpoint commit in one transaction, so an
// event has its effect once without an inbox row. One process at a time applies a subscription's
// batch (the others skip it while its checkpoint row is locked; a process that dies releases it
// with its session). A failing event is parked in pg-boss for its retries with back-off and then
// dead-lettered, and the subscription moves on (parked-events.ts, job-delivery.ts). Patterns are
// eventemitter2's (`orders.*` works), expanded over the catalog of every module's events. A
// subscription deployed for the first time starts `now` or from the `beginning` of the log.
//
// Schemas: an event is checked against its publisher's schema when published (a misfit throws
// inside the caller's transaction, so nothing commits) and again at delivery, converted to the
// version the subscription reads; one that does not fit goes to the dead-letter queue with the
// schema error as its reason: no retry could make it fit, and dropping it would lose it.
//
// Waking: after a commit, the subscriptions of this process that read what it published are woken
// at once (eventemitter2); other processes hear of it through LISTEN/NOTIFY (a trigger on the log
// names the publishing process and the types). Polling every EVENTS_POLLING_INTERVAL_SECONDS is
// the safety net.
//
// Observing: each publish opens a PRODUCER span whose context the envelope carries, and each
// delivery attempt a CONSUMER span continuing it (event-spans.ts); committed events, outcomes,
// handler durations and delivery lag are counted as metrics (delivery-metrics.ts).
//
// Timers: a module's own delayed work (e.g. expiring an unpaid order). Scheduling one writes a
// pg-boss job with a start time into the timer's queue, inside the caller's transaction, so the
// work exists exactly when the change that asked for it does; its handler then runs like an
// event's (inbox, retries, dead letters). A delayed job sends no NOTIFY: polling finds it.
import ee2 from 'eventemitter2';
import { sql } from 'drizzle-orm';
import { fromDrizzle, type JobWithMetadata, type PgBoss } from 'pg-boss';
import type { EventsConfig } from './events-config.js';
import type { Db, Tx } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { traceparentOf } from '../observability/trace-context.js';
import { primeHandledOutcomes, recordPublished } from '../observability/shop-metrics.js';
import { deliverNextBatch } from './batch-delivery.js';
import { assertFits, EventSchemaError, readAs, type EventData, type EventDefinition } from './event-definition.js';
import { createEnvelope, type EventEnvelope, type PublishOptions } from './event-envelope.js';
import {
  appendEvents,
  deploySubscriptions,
  postgresEventSource,
  pruneEventLog,
  rewindToPosition,
  rewindToTime,
  subscriptionsWithEvents,
  type Checkpoint,
  type EventSource,
  type StartFrom,
} from './event-log.js';
import { inProducerSpan } from './event-spans.js';
import { deliverJobs, type JobTarget } from './job-delivery.js';
import { matchingEventTypes } from './match-event-types.js';
import { deadLetterQueue, ensureParkQueue } from './parked-events.js';
import { SubscriptionReader } from './subscription-reader.js';

export { deadLetterQueue } from './parked-events.js';

/** A subscription name no module (hosted here or declared) has. */
export class UnknownSubscriptionError extends Error {
  constructor(subscription: string) {
    super(`no subscription named "${subscription}" is known to this process`);
  }
}

const { EventEmitter2 } = ee2;

/** Publishes the newest version of one of the module's own events, checked against its schema; resolves to the event's id. */
export type Publish = <Definition extends EventDefinition>(event: Definition, data: EventData<Definition>, options?: PublishOptions) => Promise<string>;

export interface ScheduleOptions {
  /** A uuid naming this piece of work: scheduling the same id again (per timer) is a no-op. */
  id?: string;
}

/** Schedules one of the module's own timers from the caller's transaction. */
export type Schedule = (timer: string, data: unknown, options?: ScheduleOptions) => Promise<void>;

export interface HandlerContext {
  tx: Tx;
  /** Publishes from the handler's own transaction (as the subscribing module). */
  publish: Publish;
  /** Schedules the handling module's timers from the handler's own transaction. */
  schedule: Schedule;
  logger: Logger;
}

export type EventHandler = (event: EventEnvelope, context: HandlerContext) => Promise<void>;

export interface Subscription {
  /** The subscribing module; its name is the prefix of its queue. */
  module: string;
  /** The module's Postgres schema, where its inbox lives. */
  schema: string;
  /** Unique within the module, kebab-case, e.g. `copy-usernames`. */
  name: string;
  /** An event type, or a wildcard pattern such as `users.*`. */
  pattern: string;
  /** The version of the event type the handler reads (typed subscriptions); else it gets each event as published. */
  reads?: EventDefinition;
  /** Where it starts reading the log the first time it is deployed: `now` (the default) or the `beginning` (every event the log still holds). */
  from?: StartFrom;
  handler: EventHandler;
}

export interface Timer {
  /** The module whose delayed work it is; its name is the prefix of its queue. */
  module: string;
  /** The module's Postgres schema, where its inbox lives. */
  schema: string;
  /** Unique within the module, kebab-case, e.g. `expire-unpaid-order`. */
  name: string;
  /** How long after being scheduled it fires. */
  afterSeconds: number;
  /** Gets an envelope whose `data` is what was scheduled and whose `id` is the work's id. */
  handler: EventHandler;
}

/** A timer of a module hosted elsewhere: its queue is kept, its handler runs there. */
export type DeclaredTimer = Pick<Timer, 'module' | 'name'>;

/** Notifications on a channel; resolves to how to stop listening. */
export type Listen = (channel: string, onMessage: (payload: string) => void) => Promise<() => Promise<void>>;

export interface EventBusDeps {
  boss: PgBoss;
  /** The connection a module writes through (its own database role). */
  databaseOf(module: string): Db;
  /** The platform's connection: deploys checkpoints and prunes the log. */
  db: Db;
  /** Hears commits of other processes (LISTEN); without it they are found by polling. */
  listen?: Listen;
  /** This process's name in the log's notifications (the `shop.instance` setting of its sessions): its own are ignored. */
  instance?: string;
  logger: Logger;
  config: EventsConfig;
  /** The newest version of every event any module publishes, hosted here or not: wildcards expand over it. */
  catalog: readonly EventDefinition[];
}

/** A subscription of a module hosted elsewhere: its checkpoint is kept, its handler runs there. */
export type DeclaredSubscription = Pick<Subscription, 'module' | 'name' | 'pattern' | 'from'>;

/** The channel the log's trigger notifies on (see the event-log migration). */
export const EVENTS_CHANNEL = 'shop_events';

const PRUNE_EVERY_MS = 3600_000;
const PRUNE_BATCH = 1000;

export function subscriptionQueue(subscription: Pick<Subscription, 'module' | 'name'>): string {
  return `${subscription.module}.${subscription.name}`;
}

export function timerQueue(timer: Pick<Timer, 'module' | 'name'>): string {
  // Subscription names have no dots, so this never names a subscription's queue.
  return `${timer.module}.timer.${timer.name}`;
}



export class EventBus {
  readonly #deps: EventBusDeps;
  readonly #source: EventSource = postgresEventSource;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #declared = new Map<string, DeclaredSubscription>();
  readonly #timers = new Map<string, Timer>();
  readonly #declaredTimers = new Set<string>();
  readonly #wakeups = new EventEmitter2({ wildcard: true, delimiter: '.' });
  readonly #readers: SubscriptionReader[] = [];
  readonly #readerOf = new Map<string, SubscriptionReader>();
  #unlisten: (() => Promise<void>) | undefined;
  #pruner: NodeJS.Timeout | undefined;
  #poller: NodeJS.Timeout | undefined;
  #started = false;

  constructor(deps: EventBusDeps) {
    this.#deps = deps;
  }

  get boss(): PgBoss {
    return this.#deps.boss;
  }

  /** Names (`<module>.<name>`) of the subscriptions and timers hosted by this process. */
  get queues(): string[] {
    return [...this.#subscriptions.keys(), ...this.#timers.keys()];
  }

  /** Every subscription this process knows, hosted or declared, with the event types it reads. */
  get subscriptionTypes(): Array<{ name: string; types: string[] }> {
    const known = new Map<string, DeclaredSubscription>([...this.#declared, ...this.#subscriptions]);
    return [...known].map(([name, { pattern }]) => ({ name, types: this.matchingTypes(pattern) }));
  }

  subscribe(subscription: Subscription): void {
    if (this.#started) throw new Error('subscribe before the bus starts');
    const queue = subscriptionQueue(subscription);
    if (this.#subscriptions.has(queue)) throw new Error(`subscription ${queue} is declared twice`);
    if (this.matchingTypes(subscription.pattern).length === 0) {
      throw new Error(`subscription ${queue} pattern "${subscription.pattern}" matches no known event`);
    }
    const reads = subscription.reads;
    if (reads && (reads.type !== subscription.pattern || !this.#newest(reads.type) || reads.version > this.#newest(reads.type)!.version)) {
      throw new Error(`subscription ${queue} reads ${reads.type} v${reads.version}, which its publisher does not define`);
    }
    this.#subscriptions.set(queue, subscription);
  }

  /** Keeps the checkpoint of a subscription whose module runs in another process. */
  declare(subscription: DeclaredSubscription): void {
    if (this.#started) throw new Error('declare subscriptions before the bus starts');
    this.#declared.set(subscriptionQueue(subscription), subscription);
  }

  /** Runs a hosted module's timer here; its transactions and handlers may schedule it. */
  handleTimer(timer: Timer): void {
    if (this.#started) throw new Error('add timers before the bus starts');
    const queue = timerQueue(timer);
    if (this.#timers.has(queue)) throw new Error(`timer ${queue} is declared twice`);
    this.#timers.set(queue, timer);
  }

  /** Keeps the queue of a timer whose module runs in another process. */
  declareTimer(timer: DeclaredTimer): void {
    if (this.#started) throw new Error('declare timers before the bus starts');
    this.#declaredTimers.add(timerQueue(timer));
  }

  /** The catalogued event types a pattern matches, as eventemitter2 matches them. */
  matchingTypes(pattern: string): string[] {
    return matchingEventTypes(pattern, this.#deps.catalog.map((event) => event.type));
  }

  #newest(type: string): EventDefinition | undefined {
    return this.#deps.catalog.find((event) => event.type === type);
  }

  async start(): Promise<void> {
    const { boss, config } = this.#deps;
    // Every subscription this process knows gets its checkpoint, hosted here or not: events
    // published while its module's process is down wait in the log for it.
    const known = new Map<string, DeclaredSubscription>([...this.#declared, ...this.#subscriptions]);
    await deploySubscriptions(
      this.#deps.db,
      [...known].map(([name, { pattern, from }]) => ({ name, types: this.matchingTypes(pattern), from: from ?? 'now' })),
    );
    for (const queue of this.#declaredTimers) {
      if (!this.#timers.has(queue)) await ensureParkQueue(boss, queue, config, config.retryLimit);
    }
    for (const [queue, subscription] of this.#subscriptions) {
      await ensureParkQueue(boss, queue, config);
      primeHandledOutcomes(queue);
      await this.#work({ queue, module: subscription.module, schema: subscription.schema, firstAttempt: 2 }, (event) => this.#asRead(subscription, event), subscription.handler);
    }
    for (const [queue, timer] of this.#timers) {
      await ensureParkQueue(boss, queue, config, config.retryLimit);
      await this.#work({ queue, module: timer.module, schema: timer.schema, firstAttempt: 1 }, (event) => event, timer.handler);
    }
    if (this.#deps.listen && this.#subscriptions.size > 0) {
      this.#unlisten = await this.#deps.listen(EVENTS_CHANNEL, (payload) => this.#heard(payload));
    }
    for (const [queue, subscription] of this.#subscriptions) this.#read(queue, subscription);
    this.#startPolling();
    this.#startPruning();
    this.#started = true;
  }

  #read(queue: string, subscription: Subscription): void {
    const { boss, config, logger } = this.#deps;
    const db = this.#deps.databaseOf(subscription.module);
    const target = { queue, module: subscription.module, types: this.matchingTypes(subscription.pattern) };
    const reader = new SubscriptionReader({
      logger: logger.child({ subscription: queue }),
      readBatch: () =>
        deliverNextBatch(target, {
          source: this.#source,
          boss,
          config,
          logger,
          db,
          asRead: (event) => this.#asRead(subscription, event),
          apply: this.#applying(subscription.module, queue, subscription.handler),
          committed: (published) => this.#committed(published),
        }),
    });
    this.#wakeups.on(subscription.pattern, () => reader.wake());
    this.#readers.push(reader);
    this.#readerOf.set(queue, reader);
    reader.wake();
  }

  // Parked events and timers, as pg-boss hands them out. Retries and timers due later send no
  // NOTIFY, so the worker polls at the bus's interval, also on a queue that has NOTIFY on (the
  // release before the event log created its queues so): there pg-boss would poll every 30 s.
  async #work(target: JobTarget, asRead: (event: EventEnvelope) => EventEnvelope, handler: EventHandler): Promise<void> {
    const { boss, config, logger } = this.#deps;
    const db = this.#deps.databaseOf(target.module);
    await boss.work<EventEnvelope>(
      target.queue,
      {
        batchSize: 10,
        perJobResults: true,
        includeMetadata: true,
        pollingIntervalSeconds: config.pollingIntervalSeconds,
        notifyPollingIntervalSeconds: config.pollingIntervalSeconds,
      },
      (jobs) => {
        const deps = { logger, db, asRead, apply: this.#applying(target.module, target.queue, handler), committed: (published: readonly EventEnvelope[]) => this.#committed(published) };
        // includeMetadata: the jobs carry their retry limit, which tells a last attempt.
        return deliverJobs(target, deps, jobs as JobWithMetadata<EventEnvelope>[]);
      },
    );
  }

  /** A notification from the log's trigger: `<instance> <type> <type>…`. This process's own commits woke their readers already. */
  #heard(payload: string): void {
    const [instance, ...types] = payload.split(' ');
    if (instance !== '' && instance === this.#deps.instance) return;
    for (const type of types) this.#wakeups.emit(type);
  }

  // The safety net: one statement a polling interval asks which hosted subscriptions have events
  // waiting (a notification lost, a rewind, a batch a dead process left), and wakes those.
  #startPolling(): void {
    if (this.#readerOf.size === 0) return;
    const names = [...this.#readerOf.keys()];
    this.#poller = setInterval(() => {
      subscriptionsWithEvents(this.#deps.db, names).then(
        (waiting) => waiting.forEach((name) => this.#readerOf.get(name)?.wake()),
        (error: unknown) => this.#deps.logger.debug({ err: error }, 'polling the event log failed; the next poll tries again'),
      );
    }, this.#deps.config.pollingIntervalSeconds * 1000);
    this.#poller.unref();
  }

  #startPruning(): void {
    const { retentionDays } = this.#deps.config;
    if (retentionDays === 0 || this.#subscriptions.size === 0) return;
    const prune = () =>
      pruneEventLog(this.#deps.db, new Date(Date.now() - retentionDays * 86_400_000), PRUNE_BATCH).catch((error: unknown) =>
        this.#deps.logger.warn({ err: error }, 'pruning the event log failed; the next round tries again'),
      );
    this.#pruner = setInterval(prune, PRUNE_EVERY_MS);
    this.#pruner.unref();
    void prune();
  }

  /**
   * Moves a subscription's checkpoint back (or forward) so that it next reads from the event at a
   * log position, or from the first event that occurred at or after a time: its handler gets those
   * events again. Null when the position names no event. Throws for a subscription nobody declared.
   */
  async rewind(subscription: string, to: { position: number } | { time: Date }): Promise<Checkpoint | null> {
    if (!this.subscriptionTypes.some(({ name }) => name === subscription)) throw new UnknownSubscriptionError(subscription);
    const moved = 'position' in to ? await rewindToPosition(this.#deps.db, subscription, to.position) : await rewindToTime(this.#deps.db, subscription, to.time);
    if (moved) this.#deps.logger.warn({ subscription, ...to, checkpoint: moved }, 'subscription rewound; it reads those events again');
    this.#readerOf.get(subscription)?.wake();
    return moved;
  }

  /** Stops reading and taking jobs, and lets running handlers finish within the timeout. */
  async stop(timeoutMs: number): Promise<void> {
    this.#wakeups.removeAllListeners();
    clearInterval(this.#pruner);
    clearInterval(this.#poller);
    await Promise.all([
      Promise.race([Promise.all(this.#readers.map((reader) => reader.stop())), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]),
      this.#unlisten?.().catch(() => {}),
      this.#deps.boss.stop({ graceful: true, timeout: timeoutMs }),
    ]);
  }

  /**
   * Runs `work` in one database transaction; events it publishes are stored in that same
   * transaction. `source` is the publishing module: it may publish only its own events.
   */
  async transaction<T>(source: string, work: (tx: Tx, publish: Publish, schedule: Schedule) => Promise<T>): Promise<T> {
    const published: EventEnvelope[] = [];
    const result = await this.#deps.databaseOf(source).transaction(async (tx) => {
      const outcome = await work(tx, this.#publisher(source, published), this.#scheduler(tx, source));
      await appendEvents(tx, published);
      return outcome;
    });
    this.#committed(published);
    return result;
  }

  // Checks the event and makes its envelope; the caller appends what it collected, in its
  // transaction, in one statement.
  #publisher(source: string, published: EventEnvelope[]): Publish {
    return async (event, data, options) => {
      const { type } = event;
      if (!type.startsWith(`${source}.`) || this.#newest(type) !== event) {
        throw new Error(`module ${source} cannot publish "${type}" v${event.version}: not the newest version of one of its catalogued events`);
      }
      assertFits(event, data);
      let id = '';
      await inProducerSpan(type, source, async (traceparent) => {
        const envelope = createEnvelope(source, type, data, { traceparent, ...options, version: event.version });
        published.push(envelope);
        id = envelope.id;
      });
      return id;
    };
  }

  #scheduler(tx: Tx, module: string): Schedule {
    return async (name, data, options = {}) => {
      const queue = timerQueue({ module, name });
      const timer = this.#timers.get(queue);
      if (!timer) throw new Error(`module ${module} cannot schedule "${name}": not one of its timers hosted here`);
      // An envelope, like an event's, so the inbox, the logs and the dead-letter tools read it alike.
      // It carries the scheduling work's trace, so the delayed work shows up in it when it fires.
      const envelope = { ...createEnvelope(module, queue, data, { traceparent: traceparentOf() }), ...(options.id ? { id: options.id } : {}) };
      await this.#deps.boss.send(queue, envelope, { id: envelope.id, startAfter: timer.afterSeconds, db: fromDrizzle(tx, sql) });
    };
  }

  /** After a commit: the events it stored are counted, and the subscriptions here that read them woken. */
  #committed(published: readonly EventEnvelope[]): void {
    for (const { type } of published) recordPublished(type);
    for (const type of new Set(published.map(({ type }) => type))) this.#wakeups.emit(type);
  }

  /** The event as the subscription reads it: checked, and converted to the version it reads. */
  #asRead(subscription: Subscription, event: EventEnvelope): EventEnvelope {
    const newest = this.#newest(event.type);
    if (!newest) throw new EventSchemaError(event.type, event.version, 'not an event any module defines');
    const version = subscription.reads?.version ?? event.version;
    return { ...event, version, data: readAs(newest, event.version, version, event.data) };
  }

  /** Runs `handler` in a transaction; what it publishes is collected in `published`, for the caller to append. */
  #applying(module: string, queue: string, handler: EventHandler) {
    return (tx: Tx, event: EventEnvelope, published: EventEnvelope[]): Promise<void> =>
      handler(event, {
        tx,
        publish: this.#publisher(module, published),
        schedule: this.#scheduler(tx, module),
        logger: this.#deps.logger.child({ module, subscription: queue, eventId: event.id }),
      });
  }
}
