// The payments module's copy of orders, fed only by orders and products events: what each event
// does, that an event overtaking orders.order-placed is retried until the order is known, and that
// events out of turn or repeated change nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_EVENTS, type OrderCancelled, type OrderPaid, type OrderPlaced } from '../../orders/index.js';
import { PRODUCTS_EVENTS, type StockRejected, type StockReserved } from '../../products/index.js';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { placePayableOrder, publishUpstream, untilPayableOrder } from '../payments.test-support.js';

type Replica = { customer_id: string; total_cents: string; currency: string; status: string };
/** An event as a test case names it: its type and its data for an order. */
type EventCase = [name: string, status: string, type: string, data: (orderId: string) => unknown];

describe('payable orders', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ hostedModules: ['payments'] });
  });
  afterAll(() => app.close());

  const replica = async (orderId: string) =>
    (await query<Replica>(app.databaseUrl, 'select customer_id, total_cents, currency, status from payments.payable_orders where order_id = $1', [orderId]))[0];
  /** Until the payments module has applied (or deliberately ignored) the event. */
  const untilHandled = (eventId: string) =>
    waitFor(async () => (await query(app.databaseUrl, 'select 1 from payments.inbox where event_id = $1', [eventId])).length > 0, { what: `event ${eventId} handled` });

  const placed = (orderId: string, customerId = randomUUID(), totalCents = 2500, currency = 'USD'): OrderPlaced => ({
    orderId,
    customerId,
    items: [{ productId: randomUUID(), quantity: 1, unitPriceCents: totalCents }],
    totalCents,
    currency,
  });
  const reserved = (orderId: string): StockReserved => ({ orderId, lines: [{ productId: randomUUID(), quantity: 1 }] });
  const rejected = (orderId: string): StockRejected => ({ orderId, reason: 'insufficient_stock', lines: [{ productId: randomUUID(), requested: 3, available: 1 }] });
  const cancelled = (orderId: string, previousStatus: OrderCancelled['previousStatus']): OrderCancelled => ({ orderId, customerId: randomUUID(), previousStatus });
  const paid = (orderId: string): OrderPaid => ({ orderId, paymentId: randomUUID() });

  const orderIn = (status: 'pending' | 'awaiting_payment') => placePayableOrder(app, randomUUID(), { reserve: status === 'awaiting_payment' });

  it('records a placed order as pending with its customer, total and currency', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    await untilHandled(await publishUpstream(app, ORDERS_EVENTS.orderPlaced, placed(orderId, customerId, 12345, 'EUR')));
    expect(await replica(orderId)).toEqual({ customer_id: customerId, total_cents: '12345', currency: 'EUR', status: 'pending' });
  });

  it('keeps the first copy when orders.order-placed for the same order arrives again', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    await untilHandled(await publishUpstream(app, ORDERS_EVENTS.orderPlaced, placed(orderId, customerId, 2500)));
    await untilHandled(await publishUpstream(app, ORDERS_EVENTS.orderPlaced, placed(orderId, randomUUID(), 1)));
    expect(await replica(orderId)).toMatchObject({ customer_id: customerId, total_cents: '2500', status: 'pending' });
  });

  it('makes a pending order payable on products.stock-reserved', async () => {
    const orderId = await orderIn('pending');
    await untilHandled(await publishUpstream(app, PRODUCTS_EVENTS.stockReserved, reserved(orderId)));
    expect((await replica(orderId))?.status).toBe('awaiting_payment');
  });

  it('rejects a pending order on products.stock-rejected', async () => {
    const orderId = await orderIn('pending');
    await untilHandled(await publishUpstream(app, PRODUCTS_EVENTS.stockRejected, rejected(orderId)));
    expect((await replica(orderId))?.status).toBe('rejected');
  });

  it.each(['pending', 'awaiting_payment'] as const)('cancels an order that is %s on orders.order-cancelled', async (status) => {
    const orderId = await orderIn(status);
    await untilHandled(await publishUpstream(app, ORDERS_EVENTS.orderCancelled, cancelled(orderId, status)));
    expect((await replica(orderId))?.status).toBe('cancelled');
  });

  it('marks an order awaiting payment paid on orders.order-paid', async () => {
    const orderId = await orderIn('awaiting_payment');
    await untilHandled(await publishUpstream(app, ORDERS_EVENTS.orderPaid, paid(orderId)));
    expect((await replica(orderId))?.status).toBe('paid');
  });

  it.each<EventCase>([
    ['products.stock-reserved', 'awaiting_payment', PRODUCTS_EVENTS.stockReserved, reserved],
    ['orders.order-cancelled', 'cancelled', ORDERS_EVENTS.orderCancelled, (orderId) => cancelled(orderId, 'pending')],
  ])('retries %s that overtook orders.order-placed until the order is known, then applies it', async (_name, status, type, data) => {
    const orderId = randomUUID();
    const eventId = await publishUpstream(app, type, data(orderId));
    const job = () =>
      query<{ retry_count: number; state: string }>(app.databaseUrl, `select retry_count, state from pgboss.job where data->>'id' = $1 and name like 'payments.%'`, [eventId]);
    await waitFor(async () => (await job()).some((row) => row.retry_count >= 1 || row.state === 'retry'), { what: 'the early event to be retried' });
    expect(await replica(orderId)).toBeUndefined();

    await publishUpstream(app, ORDERS_EVENTS.orderPlaced, placed(orderId));
    await untilPayableOrder(app, orderId, status);
    await untilHandled(eventId);
    await waitFor(async () => (await job()).every((row) => row.state === 'completed'), { what: 'the early event to complete' });
  });

  it.each<EventCase>([
    ['orders.order-cancelled after payment', 'paid', ORDERS_EVENTS.orderCancelled, (orderId) => cancelled(orderId, 'awaiting_payment')],
    ['products.stock-rejected after reservation', 'awaiting_payment', PRODUCTS_EVENTS.stockRejected, rejected],
    ['orders.order-paid while still pending', 'pending', ORDERS_EVENTS.orderPaid, paid],
  ])('ignores %s (out of turn): the status stays %s', async (_name, status, type, data) => {
    const orderId = await orderIn(status === 'pending' ? 'pending' : 'awaiting_payment');
    if (status === 'paid') {
      await publishUpstream(app, ORDERS_EVENTS.orderPaid, paid(orderId));
      await untilPayableOrder(app, orderId, 'paid');
    }
    await untilHandled(await publishUpstream(app, type, data(orderId)));
    expect((await replica(orderId))?.status).toBe(status);
  });

  it('ignores products.stock-reserved for a cancelled order, and a repeated one for a payable order', async () => {
    const cancelledOrder = await orderIn('pending');
    await untilHandled(await publishUpstream(app, ORDERS_EVENTS.orderCancelled, cancelled(cancelledOrder, 'pending')));
    await untilHandled(await publishUpstream(app, PRODUCTS_EVENTS.stockReserved, reserved(cancelledOrder)));
    expect((await replica(cancelledOrder))?.status).toBe('cancelled');

    const payable = await orderIn('awaiting_payment');
    await untilHandled(await publishUpstream(app, PRODUCTS_EVENTS.stockReserved, reserved(payable)));
    expect((await replica(payable))?.status).toBe('awaiting_payment');
  });
});
