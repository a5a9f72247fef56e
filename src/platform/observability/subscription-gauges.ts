// How far behind each subscription (and timer) is, read from the event log and pg-boss's job table
// when /metrics is scraped: one transaction of two queries for the three gauges of every
// subscription, bounded by a short statement timeout so a slow or locked table delays a scrape by
// a second at most. A scrape whose queries fail serves the other metrics without these (and logs
// why): stale figures would read as fresh.
//
// - shop_subscription_backlog: events of its types in the log after its checkpoint, plus parked
//   events (and timers) that could run now and wait for a worker: state created or retry, due
//   (start_after passed). A timer not yet due, or a retry still backing off, is not backlog yet;
//   running (active) jobs are not either, they are bounded by the workers' batches.
// - shop_subscription_oldest_pending_seconds: how long the oldest of those has waited; 0 when none
//   does. For an event in the log, the time since it occurred; for a parked one, since its back-off ended.
// - shop_subscription_dead_letters: jobs in the queue's dead-letter queue still waiting for an
//   operator (created or retry: those the dead-letter listing shows and a redrive moves).
//
// pg-boss 12 may keep a queue's jobs in a partition of their own: `<schema>.job` is the
// partitioned parent, so one query reads them all, and the `name` filter prunes the partitions.
import type { Sql } from 'postgres';
import { Gauge, type Registry } from 'prom-client';
import { deadLetterQueue } from '../events/event-bus.js';
import { readBacklogs } from '../events/event-log.js';
import type { Logger } from '../logging/logger.js';

export const FIGURES_STATEMENT_TIMEOUT_MS = 1000;

export interface SubscriptionGaugesOptions {
  /** A pool whose user reads pg-boss's tables (the platform's own, not a module's role). */
  sql: Sql;
  /** The schema pg-boss was started with. */
  schema: string;
  /** The queues to report, asked at each scrape: the bus knows its subscriptions only once the modules are wired. */
  queues: () => readonly string[];
  logger: Pick<Logger, 'warn'>;
}

interface QueueFigures {
  /** Created or retry, due or not (what a dead-letter queue holds). */
  waiting: number;
  due: number;
  oldestDueSeconds: number;
}

export function registerSubscriptionGauges(registry: Registry, options: SubscriptionGaugesOptions): void {
  // The three gauges are collected together at each scrape: they share one query.
  let reading: Promise<Map<string, QueueFigures> | null> | null = null;
  const figures = () => (reading ??= readFigures(options).finally(() => (reading = null)));

  const gauge = (name: string, help: string, value: (queue: string, figures: Map<string, QueueFigures>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['subscription'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const read = await figures();
        if (read === null) return;
        for (const queue of new Set(options.queues())) this.set({ subscription: queue }, value(queue, read));
      },
    });

  gauge('shop_subscription_backlog', "Events after a subscription's checkpoint plus its parked events and timers that are due: what waits to be applied", (queue, read) => read.get(queue)?.due ?? 0);
  gauge(
    'shop_subscription_oldest_pending_seconds',
    'How long the oldest of what a subscription could apply now has been waiting; 0 when none',
    (queue, read) => read.get(queue)?.oldestDueSeconds ?? 0,
  );
  gauge(
    'shop_subscription_dead_letters',
    'Jobs in a subscription’s (queue’s) dead-letter queue, waiting to be looked at or redriven',
    (queue, read) => read.get(deadLetterQueue(queue))?.waiting ?? 0,
  );
}

async function readFigures({ sql, schema, queues, logger }: SubscriptionGaugesOptions): Promise<Map<string, QueueFigures> | null> {
  const names = [...new Set(queues())].flatMap((queue) => [queue, deadLetterQueue(queue)]);
  if (names.length === 0) return new Map();
  try {
    const [rows, backlogs] = await sql.begin(async (tx) => {
      await tx`select set_config('statement_timeout', ${String(FIGURES_STATEMENT_TIMEOUT_MS)}, true)`;
      // job_i14 (name, state, blocked, start_after, on the live states) answers this on its own.
      const jobs = await tx<{ name: string; waiting: number; due: number; oldest_due_seconds: number }[]>`
        select name,
               count(*)::int as waiting,
               (count(*) filter (where start_after <= now()))::int as due,
               coalesce(extract(epoch from now() - min(start_after) filter (where start_after <= now())), 0)::float8 as oldest_due_seconds
          from ${tx(schema)}.job
         where name = any(${tx.array(names)}::text[]) and state in ('created', 'retry')
         group by name`;
      return [jobs, await readBacklogs(tx, [...new Set(queues())])] as const;
    });
    const figures = new Map(rows.map((row) => [row.name, { waiting: row.waiting, due: row.due, oldestDueSeconds: row.oldest_due_seconds }]));
    for (const [name, log] of backlogs) {
      const parked = figures.get(name) ?? { waiting: 0, due: 0, oldestDueSeconds: 0 };
      figures.set(name, { waiting: parked.waiting + log.waiting, due: parked.due + log.waiting, oldestDueSeconds: Math.max(parked.oldestDueSeconds, log.oldestSeconds) });
    }
    return figures;
  } catch (error) {
    logger.warn({ err: error }, 'subscription gauges: reading the job queues failed; this scrape has none');
    return null;
  }
}
