// The durable in-process event bus.
//
// Publishing: a module writes its change and its events in one transaction (`bus.transaction`);
// each event becomes a pg-boss job in the queue of every subscription to its type, inside that
// transaction, so a rollback leaves no event and a commit always leaves one (pg-boss's tables are
// the outbox).
//
// Subscribing: a subscription is one pg-boss queue, fed by every catalogued event type its pattern
// matches (eventemitter2 does the matching, so `orders.*` works). Workers run wherever the
// subscribing module is hosted; each handler runs in a transaction (a savepoint of its batch's)
// that also claims the event in the module's inbox, so a redelivered event has its effect once.
//
// Schemas: an event is checked against its publisher's schema when published (a misfit throws
// inside the caller's transaction, so nothing commits) and again at delivery, converted to the
// version the subscription reads; one that does not fit goes straight to the dead-letter queue
// with the schema error as its reason: no retry could make it fit, and dropping it would lose it.
//
// Waking: after a commit, local workers of matching subscriptions are woken at once; workers in
// other processes are woken by pg-boss's LISTEN/NOTIFY. Polling stays as the safety net.
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
import { fromDrizzle, type Job, type JobResult, type PgBoss } from 'pg-boss';
import type { EventsConfig } from './events-config.js';
import type { Db, Tx } from '../db/database.js';
import { safeErrorMessage } from '../logging/error-serializer.js';
import type { Logger } from '../logging/logger.js';
import { assertFits, EventSchemaError, readAs, type EventData, type EventDefinition } from './event-definition.js';
import { createEnvelope, type EventEnvelope, type PublishOptions } from './event-envelope.js';
import { traceparentOf } from '../observability/trace-context.js';
import { recordPublished, primeHandledOutcomes } from '../observability/shop-metrics.js';
import { BatchMetrics } from './delivery-metrics.js';
import { inConsumerSpan, inProducerSpan, markDuplicateDelivery } from './event-spans.js';
import { claimInInbox } from './inbox.js';
import { matchingEventTypes } from './match-event-types.js';

const { EventEmitter2 } = ee2;

/** Publishes the newest version of one of the module's own events, checked against its schema. */
export type Publish = <Definition extends EventDefinition>(event: Definition, data: EventData<Definition>, options?: PublishOptions) => Promise<void>;

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

export interface EventBusDeps {
  boss: PgBoss;
  /** The connection a module writes through (its own database role). */
  databaseOf(module: string): Db;
  logger: Logger;
  config: EventsConfig;
  /** The newest version of every event any module publishes, hosted here or not: wildcards expand over it. */
  catalog: readonly EventDefinition[];
}

/** A subscription of a module hosted elsewhere: its queue is kept, its handler runs there. */
export type DeclaredSubscription = Pick<Subscription, 'module' | 'name' | 'pattern'>;

export function subscriptionQueue(subscription: Pick<Subscription, 'module' | 'name'>): string {
  return `${subscription.module}.${subscription.name}`;
}

export function timerQueue(timer: Pick<Timer, 'module' | 'name'>): string {
  // Subscription names have no dots, so this never names a subscription's queue.
  return `${timer.module}.timer.${timer.name}`;
}

export function deadLetterQueue(queue: string): string {
  return `${queue}.dead-letter`;
}

const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;

export class EventBus {
  readonly #deps: EventBusDeps;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #declared = new Map<string, DeclaredSubscription>();
  readonly #timers = new Map<string, Timer>();
  readonly #declaredTimers = new Set<string>();
  readonly #wakeups = new EventEmitter2({ wildcard: true, delimiter: '.' });
  #started = false;

  constructor(deps: EventBusDeps) {
    this.#deps = deps;
  }

  get boss(): PgBoss {
    return this.#deps.boss;
  }

  /** Queue names of the subscriptions and timers hosted by this process. */
  get queues(): string[] {
    return [...this.#subscriptions.keys(), ...this.#timers.keys()];
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

  /** Keeps the queue of a subscription whose module runs in another process. */
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
    const { boss } = this.#deps;
    for (const [queue, subscription] of this.#declared) {
      if (!this.#subscriptions.has(queue)) await this.#ensureQueue(queue, subscription.pattern);
    }
    for (const queue of this.#declaredTimers) {
      if (!this.#timers.has(queue)) await this.#ensureQueue(queue);
    }
    for (const [queue, subscription] of this.#subscriptions) {
      await this.#ensureQueue(queue, subscription.pattern);
      primeHandledOutcomes(queue);
      const workerId = await this.#work(queue, subscription);
      this.#wakeups.on(subscription.pattern, () => boss.notifyWorker(workerId));
    }
    for (const [queue, timer] of this.#timers) {
      await this.#ensureQueue(queue);
      await this.#work(queue, timer);
    }
    this.#started = true;
  }

  async #work(queue: string, target: Subscription | Timer): Promise<string> {
    const { config } = this.#deps;
    return this.#deps.boss.work<EventEnvelope>(
      queue,
      {
        batchSize: 10,
        perJobResults: true,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: config.pollingIntervalSeconds,
        notifyPollingIntervalSeconds: config.pollingIntervalSeconds,
      },
      (jobs) => this.#deliver(queue, target, jobs),
    );
  }

  // The queue, its dead-letter queue, and (for a subscription) its subscription to every
  // matching event type.
  async #ensureQueue(queue: string, pattern?: string): Promise<void> {
    const { boss, config } = this.#deps;
    await boss.createQueue(deadLetterQueue(queue), { retentionSeconds: DEAD_LETTER_RETENTION_SECONDS });
    await boss.createQueue(queue, {
      retryLimit: config.retryLimit,
      retryDelay: config.retryDelaySeconds,
      retryBackoff: true, // exponential, with pg-boss's jitter
      retryDelayMax: config.retryDelayMaxSeconds,
      deadLetter: deadLetterQueue(queue),
      heartbeatSeconds: config.heartbeatSeconds,
      notify: true,
    });
    if (pattern === undefined) return;
    for (const type of this.matchingTypes(pattern)) await boss.subscribe(type, queue);
  }

  /** Stops taking jobs and lets running handlers finish within the timeout. */
  async stop(timeoutMs: number): Promise<void> {
    this.#wakeups.removeAllListeners();
    await this.#deps.boss.stop({ graceful: true, timeout: timeoutMs });
  }

  /**
   * Runs `work` in one database transaction; events it publishes are stored in that same
   * transaction. `source` is the publishing module: it may publish only its own events.
   */
  async transaction<T>(source: string, work: (tx: Tx, publish: Publish, schedule: Schedule) => Promise<T>): Promise<T> {
    const published: string[] = [];
    const result = await this.#deps
      .databaseOf(source)
      .transaction((tx) => work(tx, this.#publisher(tx, source, published), this.#scheduler(tx, source)));
    this.#committed(published);
    return result;
  }

  #publisher(tx: Tx, source: string, published: string[]): Publish {
    return async (event, data, options) => {
      const { type } = event;
      if (!type.startsWith(`${source}.`) || this.#newest(type) !== event) {
        throw new Error(`module ${source} cannot publish "${type}" v${event.version}: not the newest version of one of its catalogued events`);
      }
      assertFits(event, data);
      await inProducerSpan(type, source, async (traceparent) => {
        const envelope = createEnvelope(source, type, data, { traceparent, ...options, version: event.version });
        await this.#deps.boss.publish(type, envelope, { id: envelope.id, db: fromDrizzle(tx, sql) });
      });
      published.push(type);
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

  /** After a commit: the events it stored are counted, and local workers waiting for them woken. */
  #committed(types: string[]): void {
    for (const type of types) recordPublished(type);
    for (const type of new Set(types)) this.#wakeups.emit(type);
  }

  // A fetched batch is applied in one transaction, each event in a savepoint of its own: a handler
  // that fails rolls back only its event's effect (and its inbox claim), and the batch pays for one
  // commit instead of one per event. If the commit itself fails, nothing of the batch was applied
  // and every event of it is retried; the inbox keeps a redelivered one from applying twice.
  async #deliver(queue: string, target: Subscription | Timer, jobs: Job<EventEnvelope>[]): Promise<JobResult[]> {
    const metrics = new BatchMetrics(queue, this.#deps.config.retryLimit, 'pattern' in target);
    const results = new Map<string, JobResult>();
    const published: string[] = [];
    let outcomes: JobResult[];
    try {
      await this.#deps.databaseOf(target.module).transaction(async (tx) => {
        for (const job of jobs) {
          const ended = metrics.started(job);
          results.set(job.id, await inConsumerSpan(queue, target.module, job, () => this.#applyInSavepoint(tx, queue, target, job, published, metrics)));
          ended();
        }
      });
      this.#committed(published);
      outcomes = jobs.map((job) => results.get(job.id)!);
    } catch (error) {
      const message = safeErrorMessage(error);
      this.#deps.logger.warn({ queue, events: jobs.length, err: error }, 'a batch of events could not be committed; each will be retried or dead-lettered');
      // An event that does not fit its schema is dead-lettered whatever happened to the others.
      outcomes = jobs.map((job) => (results.get(job.id)?.status === 'deadletter' ? results.get(job.id)! : { id: job.id, status: 'failed', output: { message } }));
    }
    metrics.finished(jobs, outcomes);
    return outcomes;
  }

  async #applyInSavepoint(tx: Tx, queue: string, target: Subscription | Timer, job: Job<EventEnvelope>, published: string[], metrics: BatchMetrics): Promise<JobResult> {
    try {
      const event = 'pattern' in target ? this.#asRead(target, job.data) : job.data;
      const applied = await tx.transaction((savepoint) => this.#applyOnce(savepoint, queue, target, event, published));
      if (!applied) {
        metrics.duplicate(job);
        markDuplicateDelivery();
      }
      return { id: job.id, status: 'completed' };
    } catch (error) {
      if (error instanceof EventSchemaError) {
        this.#deps.logger.error({ queue, eventId: job.data.id, eventType: job.data.type, reason: error.message }, 'event does not fit its schema; dead-lettered');
        return { id: job.id, status: 'deadletter', output: { message: error.message } };
      }
      // Stored with the job, where operators read dead letters: no SQL values there either.
      const message = safeErrorMessage(error);
      this.#deps.logger.warn(
        { queue, eventId: job.data.id, eventType: job.data.type, attempt: job.retryCount + 1, err: error },
        'event handler failed; it will be retried or dead-lettered',
      );
      return { id: job.id, status: 'failed', output: { message } };
    }
  }

  /** The event as the subscription reads it: checked, and converted to the version it reads. */
  #asRead(subscription: Subscription, event: EventEnvelope): EventEnvelope {
    const newest = this.#newest(event.type);
    if (!newest) throw new EventSchemaError(event.type, event.version, 'not an event any module defines');
    const version = subscription.reads?.version ?? event.version;
    return { ...event, version, data: readAs(newest, event.version, version, event.data) };
  }

  /** False when the inbox had the event already: then the handler does not run. */
  async #applyOnce(tx: Tx, queue: string, target: Subscription | Timer, event: EventEnvelope, published: string[]): Promise<boolean> {
    const logger = this.#deps.logger.child({ module: target.module, subscription: queue, eventId: event.id });
    if (!(await claimInInbox(tx, target.schema, queue, event.id, event.type))) {
      logger.debug({ eventType: event.type }, 'event already handled; skipped');
      return false;
    }
    await target.handler(event, {
      tx,
      publish: this.#publisher(tx, target.module, published),
      schedule: this.#scheduler(tx, target.module),
      logger,
    });
    return true;
  }
}
