// Upgrading a database from the release before the event log (bb46214), where every event was a
// pg-boss job (data: the envelope, id: the event id) in the queue of each subscription to its type
// (`<module>.<subscription>`, with its retries and its `<queue>.dead-letter` queue), and workers
// claimed each event in the module's inbox in the handler's transaction. The new release reads the
// log, but parks failing events in those same queues: so what the old release left in them is
// delivered by the park workers, through the inbox, and its dead letters stay where operators look.
//
// The database is prepared the old way: the old queues of the app's real subscriptions, created as
// the old release created them, and in them
// - order A's orders.order-placed waiting in products.reserve-stock and in payments.order-placed;
// - order B's the same, except that payments.order-placed had applied it already (its inbox row
//   and its effect committed, the job still waiting: the process died before completing it);
// - order C's dead-lettered in products.reserve-stock by pg-boss itself, after a worker that threw
//   used up its retries (and waiting in payments.order-placed).
// Then the new app starts on it. Expected, and asserted:
// - each waiting event is delivered once: A's and B's stock is reserved once (one reservation, the
//   units held once, one stock-reserved in the log, which the new subscriptions read on from), each
//   order's payable facts arrive once, and every old job completes on its first delivery;
// - B's redelivery changes nothing: the inbox has the old claim, and the handler does not run;
// - C's dead letter is listed by the admin listing (and listDeadLetters) with the reason it died of
//   and the attempts it had; redriven, it is applied once.
import { sql } from 'drizzle-orm';
import { fromDrizzle, PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersEvents } from '../src/modules/orders/api.js';
import { loadConfig } from '../src/config.js';
import { ALL_MODULES } from '../src/module-registry.js';
import { connectDatabase, type Tx } from '../src/platform/db/database.js';
import { listDeadLetters } from '../src/platform/events/dead-letters.js';
import { assertFits } from '../src/platform/events/event-definition.js';
import { createEnvelope, type EventEnvelope } from '../src/platform/events/event-envelope.js';
import { deadLetterQueue, subscriptionQueue } from '../src/platform/events/event-bus.js';
import { claimInInbox } from '../src/platform/events/inbox.js';
import { createLogger } from '../src/platform/logging/logger.js';
import { TEST_EVENTS_ENV } from './support/test-bus.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, query } from './support/test-database.js';
import { ADMIN_ENV, loginAdmin } from './support/users.js';
import { waitFor } from './support/wait-for.js';

// The old release's settings (its retries as the tests configure them: two, so that the dead
// letter below is made in seconds).
const OLD = loadConfig({ ...TEST_EVENTS_ENV, EVENTS_RETRY_LIMIT: '2' }).events;
const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;
const RESERVE_STOCK = 'products.reserve-stock';
const PAYMENTS_ORDER_PLACED = 'payments.order-placed';
const DIED_OF = 'products database is read-only';
const address = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' };
const silent = createLogger({ level: 'silent', pretty: false });

/** A subscription's queue, its dead-letter queue and its subscription to its event type, exactly as the old bus's #ensureQueue made them. */
async function ensureOldQueue(boss: PgBoss, queue: string, pattern: string): Promise<void> {
  await boss.createQueue(deadLetterQueue(queue), { retentionSeconds: DEAD_LETTER_RETENTION_SECONDS });
  await boss.createQueue(queue, {
    retryLimit: OLD.retryLimit,
    retryDelay: OLD.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: OLD.retryDelayMaxSeconds,
    deadLetter: deadLetterQueue(queue),
    heartbeatSeconds: OLD.heartbeatSeconds,
    notify: true,
  });
  await boss.subscribe(pattern, queue);
}

interface Order {
  id: string;
  quantity: number;
  event: EventEnvelope;
}

describe('upgrading from the job queues to the event log', () => {
  let url: string;
  let app: TestApp | undefined;
  const productId = crypto.randomUUID();
  const customerId = crypto.randomUUID();
  const orders: Record<'a' | 'b' | 'c', Order> = { a: newOrder(1), b: newOrder(2), c: newOrder(3) };
  let bInboxClaim: string;

  function newOrder(quantity: number): Order {
    const id = crypto.randomUUID();
    const data = { orderId: id, customerId, items: [{ productId, quantity, unitPriceCents: 500 }], totalCents: 500 * quantity, currency: 'USD' };
    assertFits(OrdersEvents.orderPlaced, data);
    return { id, quantity, event: createEnvelope('orders', OrdersEvents.orderPlaced.type, data, { version: OrdersEvents.orderPlaced.version }) };
  }

  beforeAll(async () => {
    url = await createTestDatabase();
    const database = connectDatabase(url, { max: 2 });
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1, openTelemetry: { enabled: false } });
    boss.on('error', () => {});
    await boss.start();
    try {
      await query(url, `insert into products.products (id, sku, name, price_cents, currency, stock) values ($1, 'UPGRADE-1', 'Upgrade mug', 500, 'USD', 10)`, [productId]);
      // The old release started by creating the queue of every subscription of every module.
      for (const definition of ALL_MODULES) {
        for (const subscription of definition.subscriptions ?? []) {
          expect(subscription.pattern, 'a pattern that names one event type').not.toMatch(/\*/);
          await ensureOldQueue(boss, subscriptionQueue({ module: definition.name, name: subscription.name }), subscription.pattern);
        }
      }
      // Placing an order: its rows and its event, one job per subscription, in one transaction.
      const place = (order: Order) =>
        database.db.transaction(async (tx) => {
          await tx.execute(sql`insert into orders.orders (id, customer_id, status, total_cents, currency, shipping_address)
                               values (${order.id}, ${customerId}, 'pending', ${500 * order.quantity}, 'USD', ${JSON.stringify(address)}::jsonb)`);
          await tx.execute(sql`insert into orders.order_items (order_id, product_id, position, quantity, unit_price_cents) values (${order.id}, ${productId}, 0, ${order.quantity}, 500)`);
          await boss.publish(order.event.type, order.event, { id: order.event.id, db: fromDrizzle(tx, sql) });
        });

      // C first, alone in products.reserve-stock: a worker that throws until pg-boss dead-letters it.
      await place(orders.c);
      await boss.work(RESERVE_STOCK, { pollingIntervalSeconds: 0.5 }, async () => {
        throw new Error(DIED_OF);
      });
      await waitFor(async () => (await boss.findJobs(deadLetterQueue(RESERVE_STOCK), { queued: true })).length === 1, {
        timeoutMs: 30_000,
        what: `order C's event to be dead-lettered in ${deadLetterQueue(RESERVE_STOCK)}`,
      });
      await boss.offWork(RESERVE_STOCK);

      await place(orders.a);
      await place(orders.b);
      // B applied by payments.order-placed as the old worker did (inbox claim and handler in one
      // transaction), and its job left waiting: the process was killed before completing it.
      const payments = ALL_MODULES.find((definition) => definition.name === 'payments')!;
      const orderPlaced = payments.subscriptions!.find((subscription) => subscription.name === 'order-placed')!;
      const refuse = async () => {
        throw new Error('not expected here');
      };
      await database.db.transaction(async (tx: Tx) => {
        expect(await claimInInbox(tx, 'payments', PAYMENTS_ORDER_PLACED, orders.b.event.id, orders.b.event.type)).toBe(true);
        await orderPlaced.handler(orders.b.event, { tx, publish: refuse, schedule: refuse, logger: silent });
      });
    } finally {
      await boss.stop({ graceful: true, timeout: 5000 });
      await database.close();
    }
    bInboxClaim = (await query<{ handled_at: Date }>(url, `select handled_at from payments.inbox where subscription = $1 and event_id = $2`, [PAYMENTS_ORDER_PLACED, orders.b.event.id]))[0]!.handled_at.toISOString();
  });

  afterAll(async () => {
    await app?.close();
  });

  const jobs = (queue: string) =>
    query<{ id: string; state: string; retry_count: number; data: EventEnvelope }>(url, `select id::text, state, retry_count, data from pgboss.job where name = $1 order by created_on`, [queue]);
  const inbox = (schema: string, subscription: string) =>
    query<{ event_id: string; handled_at: Date }>(url, `select event_id::text, handled_at from ${schema}.inbox where subscription = $1 order by handled_at`, [subscription]);
  const reserved = async () => (await query<{ reserved: number }>(url, 'select reserved from products.products where id = $1', [productId]))[0]!.reserved;
  const status = async (order: Order) => (await query<{ status: string }>(url, 'select status from orders.orders where id = $1', [order.id]))[0]!.status;
  const stockAnswers = (order: Order) => query(url, `select position from events.log where type in ('products.stock-reserved', 'products.stock-rejected') and envelope->'data'->>'orderId' = $1`, [order.id]);

  it('starts from the queues the old release left: waiting events, a redelivery and a dead letter', async () => {
    const eventIds = (rows: Array<{ id: string }>) => rows.map((row) => row.id);
    expect(await jobs(RESERVE_STOCK)).toMatchObject([
      { id: orders.c.event.id, state: 'failed' },
      { id: orders.a.event.id, state: 'created', data: orders.a.event },
      { id: orders.b.event.id, state: 'created', data: orders.b.event },
    ]);
    expect(eventIds(await jobs(PAYMENTS_ORDER_PLACED))).toEqual([orders.c.event.id, orders.a.event.id, orders.b.event.id]);
    expect((await jobs(PAYMENTS_ORDER_PLACED)).every((job) => job.state === 'created')).toBe(true);
    const [deadLetter, ...more] = await jobs(deadLetterQueue(RESERVE_STOCK));
    expect(more).toEqual([]);
    expect(deadLetter!.data).toEqual(orders.c.event);
    expect((await inbox('payments', PAYMENTS_ORDER_PLACED)).map((row) => row.event_id)).toEqual([orders.b.event.id]);
    expect(await query(url, 'select order_id::text, total_cents::int from payments.payable_orders')).toEqual([{ order_id: orders.b.id, total_cents: 1000 }]);
    expect(await query(url, 'select position from events.log')).toEqual([]);
  });

  it('delivers each waiting event once, skips the redelivery, and keeps the dead letter listable and redrivable', async () => {
    const startAt = Date.now();
    app = await startTestApp({ databaseUrl: url, env: ADMIN_ENV, captureLogs: true });
    const startedAt = Date.now();
    const started = app;
    const admin = (await loginAdmin(started.server)).auth;

    // The park workers take the old jobs; what the handlers publish goes to the log, where the
    // subscriptions deployed at this start read it (orders moves A and B on).
    await waitFor(async () => (await status(orders.a)) === 'awaiting_payment' && (await status(orders.b)) === 'awaiting_payment', {
      timeoutMs: 30_000,
      what: 'orders A and B to have their stock reserved',
    });
    const oldJobsDone = async () => [...(await jobs(RESERVE_STOCK)), ...(await jobs(PAYMENTS_ORDER_PLACED))].filter((job) => job.state !== 'completed' && job.id !== orders.c.event.id);
    await waitFor(async () => (await oldJobsDone()).length === 0 && (await jobs(PAYMENTS_ORDER_PLACED)).every((job) => job.state === 'completed'), {
      timeoutMs: 30_000,
      what: 'every waiting old job to be delivered',
    });
    const deliveredAt = Date.now();
    // Nothing more comes of them: a few polls later the numbers are the same.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    // Each delivered on its first try, once.
    for (const queue of [RESERVE_STOCK, PAYMENTS_ORDER_PLACED]) {
      for (const job of await jobs(queue)) if (job.id !== orders.c.event.id || queue === PAYMENTS_ORDER_PLACED) expect(job, `${queue} ${job.id}`).toMatchObject({ state: 'completed', retry_count: 0 });
    }
    expect(await reserved()).toBe(orders.a.quantity + orders.b.quantity);
    expect(await query(url, 'select order_id::text, status from products.order_reservations order by order_id')).toEqual(
      [orders.a.id, orders.b.id].sort().map((id) => ({ order_id: id, status: 'reserved' })),
    );
    expect(await query(url, 'select order_id::text, quantity from products.reservation_lines order by quantity')).toEqual([
      { order_id: orders.a.id, quantity: orders.a.quantity },
      { order_id: orders.b.id, quantity: orders.b.quantity },
    ]);
    expect(await stockAnswers(orders.a)).toHaveLength(1);
    expect(await stockAnswers(orders.b)).toHaveLength(1);
    expect((await inbox('products', RESERVE_STOCK)).map((row) => row.event_id).sort()).toEqual([orders.a.event.id, orders.b.event.id].sort());
    expect(await status(orders.c)).toBe('pending');

    // payments learnt each order's facts once; B's claim is the old one, and its handler did not run again.
    const paymentsInbox = await inbox('payments', PAYMENTS_ORDER_PLACED);
    expect(paymentsInbox.map((row) => row.event_id).sort()).toEqual([orders.a.event.id, orders.b.event.id, orders.c.event.id].sort());
    expect(paymentsInbox.find((row) => row.event_id === orders.b.event.id)!.handled_at.toISOString()).toBe(bInboxClaim);
    expect(await query(url, 'select order_id::text, customer_id::text, total_cents::int, currency from payments.payable_orders order by total_cents')).toEqual(
      [orders.a, orders.b, orders.c].map((order) => ({ order_id: order.id, customer_id: customerId, total_cents: 500 * order.quantity, currency: 'USD' })),
    );
    const skipped = started.logs
      .map((line) => JSON.parse(line) as { msg?: string; queue?: string; eventId?: string })
      .filter((entry) => entry.msg === 'event already handled; skipped')
      .map((entry) => `${entry.queue} ${entry.eventId}`);
    expect(skipped).toEqual([`${PAYMENTS_ORDER_PLACED} ${orders.b.event.id}`]);

    // The dead letter is where operators look, with the reason it died of and its attempts.
    const listed = async () => (await started.server.inject({ url: `/admin/v1/dead-letters?subscription=${RESERVE_STOCK}`, headers: admin })).json().items as unknown[];
    const expected = { subscription: RESERVE_STOCK, event: orders.c.event, attempts: OLD.retryLimit + 1, error: DIED_OF };
    expect(await listed()).toEqual([expect.objectContaining(expected)]);
    expect((await listDeadLetters(started.bus)).filter((letter) => letter.subscription === RESERVE_STOCK)).toEqual([expect.objectContaining(expected)]);
    expect((await listDeadLetters(started.bus)).map((letter) => letter.subscription)).toEqual([RESERVE_STOCK]);

    // Redriven (the handler works now), it is applied once.
    const redriveAt = Date.now();
    const redrive = await started.server.inject({ method: 'POST', url: '/admin/v1/dead-letters/redrive', headers: admin, payload: { subscription: RESERVE_STOCK } });
    expect(redrive.statusCode, redrive.body).toBe(200);
    expect(redrive.json()).toEqual({ redriven: 1 });
    // Back in its subscription's queue as a new job (the failed one stays as pg-boss left it), and
    // found within a few of the bus's polls: the old queue has NOTIFY on, where pg-boss would poll
    // only every 30 s unless told otherwise (a redrive sends no NOTIFY).
    const redriven = async () => (await jobs(RESERVE_STOCK)).filter((job) => job.data.id === orders.c.event.id && job.id !== orders.c.event.id);
    await waitFor(async () => (await redriven()).some((job) => job.state === 'completed'), { timeoutMs: 10_000, what: 'the redriven job to complete' });
    const redrivenAt = Date.now();
    await waitFor(async () => (await status(orders.c)) === 'awaiting_payment', { timeoutMs: 30_000, what: 'order C to have its stock reserved after the redrive' });
    const movedOnAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await reserved()).toBe(orders.a.quantity + orders.b.quantity + orders.c.quantity);
    expect(await redriven()).toMatchObject([{ state: 'completed', retry_count: 0 }]);
    expect(await stockAnswers(orders.c)).toHaveLength(1);
    expect((await inbox('products', RESERVE_STOCK)).filter((row) => row.event_id === orders.c.event.id)).toHaveLength(1);
    expect(await query(url, 'select status from products.order_reservations where order_id = $1', [orders.c.id])).toEqual([{ status: 'reserved' }]);
    expect(await listed()).toEqual([]);
    expect(await query(url, `select name, state from pgboss.job where name like '%.dead-letter'`)).toEqual([]);
    console.info(
      `upgrade: the new app started in ${startedAt - startAt} ms and delivered the old queues' waiting events ${deliveredAt - startedAt} ms later; ` +
        `the redriven dead letter was applied ${redrivenAt - redriveAt} ms after the redrive, and order C moved on ${movedOnAt - redrivenAt} ms after that`,
    );
  }, 90_000);
});
