// kill -9 in the middle of a load of orders and payments, as a crashed host would: after a restart
// every acknowledged order settles, each event had its effect once, stock and reservations balance
// exactly, and no order was charged twice, although every payment was sent again with the same
// Idempotency-Key after its first connection was dropped, and some were cut off by the kill itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Child } from '../support/child-process.js';
import { appliedCount } from '../support/deliveries.js';
import { rawRequest, type RawAnswer } from '../support/raw-http.js';
import { createTestDatabase, query } from '../support/test-database.js';
import { startMonolith, type Topology } from '../support/topology.js';
import { waitFor } from '../support/wait-for.js';
import { shopClient, type ShopClient } from './http-client.js';
import { adminToken, createProduct, E2E_ADMIN, registerCustomer } from './order-flow.scenario.js';

const ORDERS = Number(process.env.CRASH_ORDERS ?? 220);
const CONCURRENCY = 20;
const PRODUCTS = 5;
// Each product is asked for about 2 × ORDERS / PRODUCTS units; a quarter less is in stock, so the
// last orders are rejected, as in real life, and the payments sent for them are refused.
const STOCK = Math.ceil((ORDERS / PRODUCTS) * 2 * 0.75);
const address = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' };
const card = { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' };
const SETTLED = ['awaiting_payment', 'paid', 'rejected', 'cancelled', 'refunded'];
// One payment, from its first attempt to its final answer, across the kill and restart included.
const PAY_DEADLINE_MS = 90_000;

interface Order {
  id: string;
  token: string;
}
/** A payment's final answer, and whether it came before the process was killed. */
interface Paid {
  orderId: string;
  answer: Extract<RawAnswer, { status: number }>;
  beforeKill: boolean;
}

// The load goes raw, not through the client: an attempt may be dropped once sent
// (`dropAfterSending`: the client never learns whether the server acted on it), and a refused or
// reset connection is an outcome to wait out, not a thrown error. Setting up goes through the client.
const send = (baseUrl: string, path: string, token: string, body: unknown, headers: Record<string, string> = {}, dropAfterSending = false) =>
  rawRequest(`${baseUrl}${path}`, { method: 'POST', token, body, headers, dropAfterSending });

async function inBatches<T>(count: number, size: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await work(index);
      }
    }),
  );
  return results;
}

// The subscriptions whose once-ness the test checks, by name (`<module>.<subscription>`; each
// module's inbox is in the schema named as the module).
const WATCHED = ['products.reserve-stock', 'payments.order-placed', 'orders.stock-reserved', 'orders.stock-rejected', 'orders.payment-succeeded'];

interface Delivery {
  /** Events of its types in the log. */
  logged: number;
  /** Of those, still after its checkpoint. */
  unread: number;
  /** Parked: a job in its park queue (the event id is the job id), whatever became of it. */
  parked: number;
  /** Parked and not completed: waiting for a retry, or failed. */
  retrying: number;
  deadLetters: number;
  /** Rows in its module's inbox: the parked events applied through it. */
  inbox: number;
  /** Inbox rows of events that were never parked: a second application. */
  inboxUnparked: number;
  /** Parked events completed without an inbox row: never applied. */
  parkedUnclaimed: number;
  /** What test/support/deliveries.ts counts as applied. */
  applied: number;
}

async function deliveryOf(url: string, subscription: string): Promise<Delivery> {
  const schema = subscription.split('.')[0]!;
  const [row] = await query<Omit<Delivery, 'applied'>>(
    url,
    `with checkpoint as (select * from events.subscriptions where name = $1),
          logged as (
            select log.id, (log.transaction_id, log.position) <= (checkpoint.transaction_id, checkpoint.position) as passed
              from events.log log, checkpoint where log.type = any(checkpoint.types)),
          parked as (select id, state from pgboss.job where name = $1),
          inbox as (select event_id from ${schema}.inbox where subscription = $1)
     select (select count(*) from logged)::int as logged,
            (select count(*) from logged where not passed)::int as unread,
            (select count(*) from parked)::int as parked,
            (select count(*) from parked where state <> 'completed')::int as retrying,
            (select count(*) from pgboss.job where name = $1 || '.dead-letter')::int as "deadLetters",
            (select count(*) from inbox)::int as inbox,
            (select count(*) from inbox where event_id not in (select id from parked))::int as "inboxUnparked",
            (select count(*) from parked where state = 'completed' and id not in (select event_id from inbox))::int as "parkedUnclaimed"`,
    [subscription],
  );
  return { ...row!, applied: await appliedCount(url, subscription) };
}

/** Subscriptions with events after their checkpoint or parked events not yet applied, by name. */
async function everySubscriptionCaughtUp(url: string): Promise<Array<{ name: string; unread: number; open: number }>> {
  return query<{ name: string; unread: number; open: number }>(
    url,
    `select checkpoint.name,
            (select count(*) from events.log log where log.type = any(checkpoint.types)
                and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position))::int as unread,
            (select count(*) from pgboss.job job where job.name in (checkpoint.name, checkpoint.name || '.dead-letter') and job.state <> 'completed')::int as open
       from events.subscriptions checkpoint
      order by checkpoint.name`,
  ).then((rows) => rows.filter((row) => row.unread > 0 || row.open > 0));
}

describe('kill -9 under a load of orders and payments', () => {
  let topology: Topology;
  let client: ShopClient;
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    topology = await startMonolith(databaseUrl, { ADMIN_EMAIL: E2E_ADMIN.email, ADMIN_PASSWORD: E2E_ADMIN.password, MAX_OPEN_ORDERS_PER_CUSTOMER: '0' });
    client = shopClient(topology.baseUrl);
  });
  afterAll(() => topology.stop());

  it('settles every acknowledged order with each effect once, balanced stock and no double charge', async () => {
    const admin = await adminToken(client);
    const products = await Promise.all(Array.from({ length: PRODUCTS }, () => createProduct(client, admin, STOCK)));
    const customers = await Promise.all(Array.from({ length: 10 }, () => registerCustomer(client)));

    // 20 clients at once, each placing an order and paying every other acknowledged one right away,
    // so that payments are part of the load when the process is killed (once a third of the orders
    // are acknowledged): the payments of earlier orders are then on their way through it.
    const acknowledged: Order[] = [];
    const payments: Paid[] = [];
    const unanswered = new Set<string>(); // orders whose payment has no final answer yet
    let requestsOpen = 0; // payment requests on the wire (a dropped one ends for the client once sent)
    let killedAt = 0;
    let restartedAt = 0;
    let acknowledgedAtKill = 0;
    let unansweredAtKill = new Set<string>();
    let requestsOpenAtKill = 0;
    let restarting: Promise<void> | undefined;
    let killedChild: Child | undefined;

    // The first attempt's connection is dropped once it is sent: the client cannot know whether it
    // was charged, so it sends the same request again, with the same key, until the answer will not
    // change. A refused or reset connection means the process is down: wait for it to be back (the
    // payment was not given up, so it is sent again with its key, unlike an order without one).
    const pay = async (order: Order): Promise<Paid> => {
      const key = `crash-${order.id}`;
      const attempt = (dropAfterSending = false) =>
        send(topology.baseUrl, '/api/v1/payments', order.token, { orderId: order.id, card }, { 'idempotency-key': key }, dropAfterSending);
      unanswered.add(order.id);
      await attempt(true);
      let last: RawAnswer | undefined;
      const answer = await waitFor(
        async () => {
          requestsOpen++;
          last = await attempt().finally(() => requestsOpen--);
          if ('error' in last) {
            await restarting;
            return false;
          }
          // Retryable: payments has not caught up with the order yet (it waits a moment for that
          // itself), or the first attempt, with the same key, is still running.
          const retryable = last.status === 409 && /in progress|still being prepared/i.test(last.data?.detail ?? '');
          return !retryable && last;
        },
        { timeoutMs: PAY_DEADLINE_MS, intervalMs: 200, what: `a final answer to paying ${order.id}` },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; last answer ${JSON.stringify(last)}`);
      });
      unanswered.delete(order.id);
      return { orderId: order.id, answer, beforeKill: killedAt === 0 };
    };

    const placements = await inBatches(ORDERS, CONCURRENCY, async (index) => {
      const customer = customers[index % customers.length]!;
      const product = products[index % PRODUCTS]!;
      const answer = await send(topology.baseUrl, '/api/v1/orders', customer.token, { items: [{ productId: product.id, quantity: 1 + (index % 3) }], shippingAddress: address });
      const order = 'status' in answer && answer.status === 201 ? { id: answer.data.id as string, token: customer.token } : undefined;
      if (order) acknowledged.push(order);
      // A client that lost its connection waits for the service to come back and goes on with its
      // next order (it does not send this one again: without an idempotency key it might double it).
      if ('error' in answer) await restarting;
      if (!killedAt && acknowledged.length >= ORDERS / 3) {
        killedAt = Date.now();
        acknowledgedAtKill = acknowledged.length;
        unansweredAtKill = new Set(unanswered);
        requestsOpenAtKill = requestsOpen;
        killedChild = topology.processes.monolith!.child;
        killedChild.kill('SIGKILL');
        restarting = topology.processes.monolith!.child.exited
          .then(() => topology.restart('monolith'))
          .then(() => {
            restartedAt = Date.now();
          });
      }
      // About half the acknowledged orders are paid, by the same client, before its next order.
      if (order && index % 2 === 0) payments.push(await pay(order));
      return 'status' in answer ? answer.status : answer.error;
    });
    await restarting;

    const settledAt = await waitFor(
      async () => {
        const [row] = await query<{ unsettled: string }>(databaseUrl, `select count(*) as unsettled from orders.orders where status <> all($1)`, [SETTLED]);
        return Number(row!.unsettled) === 0 && Date.now();
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'every order settled' },
    );
    // Paid orders commit their stock through one more event: balance is checked once it holds.
    const imbalance = async () =>
      query<{ sku: string }>(
        databaseUrl,
        `select p.sku from products.products p
           left join lateral (
             select coalesce(sum(i.quantity) filter (where o.status = 'paid'), 0) as sold,
                    coalesce(sum(i.quantity) filter (where o.status = 'awaiting_payment'), 0) as held
             from orders.order_items i join orders.orders o on o.id = i.order_id where i.product_id = p.id
           ) t on true
         where p.stock <> $1 - t.sold or p.reserved <> t.held`,
        [STOCK],
      );
    await waitFor(async () => (await imbalance()).length === 0, { timeoutMs: 30_000, intervalMs: 200, what: `stock to balance (off: ${JSON.stringify(await imbalance())})` });

    // Each subscription applied each order's event once, whoever restarted. A batch the killed
    // process was applying rolled back with its session and is read again by the new one; an event
    // parked for a retry is applied through the module's inbox (a job whose worker was killed is
    // handed over when its heartbeat lapses). So, per subscription: its checkpoint has passed every
    // event of its types in the log, every parked one was applied once through the inbox and none
    // is still retrying or dead-lettered, and no inbox row names an event that was not parked (which
    // would be a second application of an event its batch applied).
    const orderCount = async () => Number((await query<{ count: string }>(databaseUrl, 'select count(*) from orders.orders'))[0]!.count);
    // Every payment that took money published payments.payment-succeeded once, in its own
    // transaction; orders applies each of them once (its subscription is `orders.payment-succeeded`).
    const chargedCount = async () => Number((await query<{ count: string }>(databaseUrl, `select count(*) from payments.payments where status <> 'failed'`))[0]!.count);
    const applied = async (subscription: string) => (await deliveryOf(databaseUrl, subscription)).applied;
    const handledEverywhere = async () => {
      const count = await orderCount();
      // Money moved means the order is paid, once payments.payment-succeeded has been applied.
      const [charged] = await query<{ count: string }>(
        databaseUrl,
        `select count(*) from payments.payments p join orders.orders o on o.id = p.order_id where p.status = 'succeeded' and o.status <> 'paid'`,
      );
      return (
        (await everySubscriptionCaughtUp(databaseUrl)).length === 0 &&
        (await applied('products.reserve-stock')) === count &&
        (await applied('payments.order-placed')) === count &&
        (await applied('orders.stock-reserved')) + (await applied('orders.stock-rejected')) === count &&
        Number(charged!.count) === 0 &&
        (await applied('orders.payment-succeeded')) === (await chargedCount())
      );
    };
    const handlingState = async () =>
      JSON.stringify({
        orders: await orderCount(),
        charged: await chargedCount(),
        deliveries: Object.fromEntries(await Promise.all(WATCHED.map(async (subscription) => [subscription, await deliveryOf(databaseUrl, subscription)]))),
        behind: await everySubscriptionCaughtUp(databaseUrl),
        jobs: await query(databaseUrl, `select name, state, count(*)::int from pgboss.job where state <> 'completed' group by name, state`),
        chargedNotPaid: await query(
          databaseUrl,
          `select p.order_id, p.status, o.status as order_status, p.created_at, o.updated_at from payments.payments p join orders.orders o on o.id = p.order_id where p.status = 'succeeded' and o.status <> 'paid'`,
        ),
        succeededEvents: await query(databaseUrl, `select count(*)::int from events.log where type = 'payments.payment-succeeded'`),
      });
    await waitFor(handledEverywhere, { timeoutMs: 60_000, intervalMs: 200, what: 'every order event handled by every subscription' }).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${await handlingState()}`);
    });
    const drainedAt = Date.now();

    const orders = await query<{ id: string; status: string }>(databaseUrl, 'select id, status from orders.orders');
    const ids = new Set(orders.map((order) => order.id));
    const lost = acknowledged.filter((order) => !ids.has(order.id));
    const doubleCharged = await query(databaseUrl, `select order_id from payments.payments where status = 'succeeded' group by order_id having count(*) > 1`);
    const paidWithoutPayment = await query(
      databaseUrl,
      `select o.id from orders.orders o where o.status = 'paid' and not exists (select 1 from payments.payments p where p.order_id = o.id and p.status = 'succeeded')`,
    );
    // Money kept for an order that will never be paid: none, unless it was given back.
    const keptForUnpaid = await query(
      databaseUrl,
      `select p.order_id, p.status, o.status as order_status from payments.payments p join orders.orders o on o.id = p.order_id
        where o.status in ('cancelled', 'rejected') and p.status <> 'failed' and p.refunded_cents < p.amount_cents`,
    );
    const chargedOrders = (await query<{ order_id: string }>(databaseUrl, `select order_id from payments.payments where status <> 'failed'`)).map((row) => row.order_id);
    const statusCounts = orders.reduce<Record<string, number>>((counts, order) => ({ ...counts, [order.status]: (counts[order.status] ?? 0) + 1 }), {});
    const succeeded = payments.filter(({ answer }) => answer.status === 201);
    const paidBeforeKill = succeeded.filter((payment) => payment.beforeKill).length;
    const paidOfInFlight = succeeded.filter((payment) => unansweredAtKill.has(payment.orderId)).length;
    // Events whose handler failed in their batch and were parked for a retry (each then applied
    // through the inbox), and why, from both processes' logs.
    const parked = Object.fromEntries(await Promise.all(WATCHED.map(async (subscription) => [subscription, (await deliveryOf(databaseUrl, subscription)).parked])));
    const parkReasons = [killedChild?.output() ?? '', topology.processes.monolith!.child.output()]
      .flatMap((output) => output.split('\n'))
      .filter((line) => line.includes('the event is parked'))
      .map((line) => {
        try {
          const entry = JSON.parse(line) as { queue?: string; err?: { message?: string } };
          return `${entry.queue}: ${entry.err?.message}`;
        } catch {
          return line;
        }
      });
    console.info(
      `crash: ${ORDERS} orders sent, ${acknowledged.length} acknowledged (${orders.length} stored), killed after ${acknowledgedAtKill} acknowledgements; ` +
        `unanswered ${placements.filter((outcome) => typeof outcome === 'string').length}; restart took ${restartedAt - killedAt} ms; ` +
        `${payments.length} payments (first attempt dropped), ${payments.length - succeeded.length} refused, ${succeeded.length} succeeded: ${paidBeforeKill} before the kill, ` +
        `${unansweredAtKill.size} in flight at the kill (${requestsOpenAtKill} requests unanswered; ${paidOfInFlight} of them paid), ${succeeded.length - paidBeforeKill} after; ` +
        `settled ${settledAt - restartedAt} ms and every event handled ${drainedAt - restartedAt} ms after the restart; ` +
        `statuses ${JSON.stringify(statusCounts)}; lost ${lost.length}, double charges ${doubleCharged.length}; ` +
        `parked ${JSON.stringify(parked)}${parkReasons.length > 0 ? ` because ${JSON.stringify(parkReasons)}` : ''}`,
    );

    expect(killedAt).toBeGreaterThan(0);
    expect(unansweredAtKill.size, 'payments in flight when the process was killed').toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(doubleCharged).toEqual([]);
    expect(paidWithoutPayment).toEqual([]);
    for (const { answer } of payments) expect([201, 409], answer.body).toContain(answer.status);
    expect(keptForUnpaid).toEqual([]);
    // Whoever was told 201 was charged, and nobody else: a payment made by a dropped or killed
    // attempt was answered to the retry with the same key.
    expect(chargedOrders.sort()).toEqual(succeeded.map((payment) => payment.orderId).sort());
    // Once, per subscription: everything its checkpoint passed, applied in a batch or (parked)
    // through the inbox, never both, never left retrying or dead-lettered.
    for (const subscription of WATCHED) {
      const delivery = await deliveryOf(databaseUrl, subscription);
      expect(delivery, subscription).toMatchObject({ unread: 0, retrying: 0, deadLetters: 0, inboxUnparked: 0, parkedUnclaimed: 0 });
      expect(delivery.inbox, subscription).toBe(delivery.parked);
      expect(delivery.applied, subscription).toBe(delivery.logged);
    }
    expect(await everySubscriptionCaughtUp(databaseUrl)).toEqual([]);
    expect(await applied('orders.payment-succeeded')).toBe(chargedOrders.length);
    expect(await applied('products.reserve-stock')).toBe(orders.length);
    expect(await applied('payments.order-placed')).toBe(orders.length);
    expect((await applied('orders.stock-reserved')) + (await applied('orders.stock-rejected'))).toBe(orders.length);
    // And the log holds each order's events once: its placing (nothing acknowledged was lost, no
    // order was published twice), one answer about its stock (reserve-stock applied its order-placed
    // once), and one payment-succeeded per charge.
    const perOrder = async (types: string[]) =>
      (
        await query<{ events: number; orders: number }>(
          databaseUrl,
          `select count(*)::int as events, count(distinct envelope->'data'->>'orderId')::int as orders from events.log where type = any($1)`,
          [types],
        )
      )[0]!;
    expect(await perOrder(['orders.order-placed'])).toEqual({ events: orders.length, orders: orders.length });
    expect(await perOrder(['products.stock-reserved', 'products.stock-rejected'])).toEqual({ events: orders.length, orders: orders.length });
    expect(await perOrder(['payments.payment-succeeded'])).toEqual({ events: chargedOrders.length, orders: chargedOrders.length });
    const [failed] = await query<{ count: string }>(databaseUrl, `select count(*) from pgboss.job where state = 'failed'`);
    expect(Number(failed!.count)).toBe(0);
  }, 240_000);
});
