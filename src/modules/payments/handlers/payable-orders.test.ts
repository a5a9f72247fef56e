// The payments module's copy of orders, fed only by orders and products events: what each event
// does, that events apply in whatever order they arrive (none waits for a retry), and that a
// repeated event changes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDefinition } from '../../../platform/events/event-definition.js';
import { OrdersEvents, type OrderCancelled, type OrderPaid, type OrderPlaced } from '../../orders/api.js';
import { ProductsEvents, type StockRejected, type StockReserved } from '../../products/api.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { dealtWith, parkedJobs } from '../../../../test/support/deliveries.js';
import { query } from '../../../../test/support/test-database.js';
import { placePayableOrder, untilPayableOrder } from '../payments.test-support.js';

type Replica = { customer_id: string; total_cents: string; currency: string; status: string };
/** An event as a test case names it: its type and its data for an order. */
type EventCase = [name: string, status: string, event: EventDefinition, data: (orderId: string) => unknown];

describe('payable orders', () => {
  let scenario: Scenario;
  let app: TestApp;
  beforeAll(async () => {
    scenario = await startModuleTest('payments');
    app = scenario.app;
  });
  afterAll(() => scenario.close());

  const replica = async (orderId: string) =>
    (await query<Replica>(app.databaseUrl, 'select customer_id, total_cents, currency, status from payments.payable_orders where order_id = $1', [orderId]))[0];
  /** Until the payments module has applied (or deliberately ignored) the event. */
  const untilHandled = (eventId: string) => scenario.handled(eventId);

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

  const orderIn = (status: 'pending' | 'awaiting_payment') => placePayableOrder(scenario, randomUUID(), { reserve: status === 'awaiting_payment' });

  it('records a placed order as pending with its customer, total and currency', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    await untilHandled(await scenario.publish(OrdersEvents.orderPlaced, placed(orderId, customerId, 12345, 'EUR')));
    expect(await replica(orderId)).toEqual({ customer_id: customerId, total_cents: '12345', currency: 'EUR', status: 'pending' });
  });

  it('keeps the first copy when orders.order-placed for the same order arrives again', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    await untilHandled(await scenario.publish(OrdersEvents.orderPlaced, placed(orderId, customerId, 2500)));
    await untilHandled(await scenario.publish(OrdersEvents.orderPlaced, placed(orderId, randomUUID(), 1)));
    expect(await replica(orderId)).toMatchObject({ customer_id: customerId, total_cents: '2500', status: 'pending' });
  });

  it('makes a pending order payable on products.stock-reserved', async () => {
    const orderId = await orderIn('pending');
    await untilHandled(await scenario.publish(ProductsEvents.stockReserved, reserved(orderId)));
    expect((await replica(orderId))?.status).toBe('awaiting_payment');
  });

  it('rejects a pending order on products.stock-rejected', async () => {
    const orderId = await orderIn('pending');
    await untilHandled(await scenario.publish(ProductsEvents.stockRejected, rejected(orderId)));
    expect((await replica(orderId))?.status).toBe('rejected');
  });

  it.each(['pending', 'awaiting_payment'] as const)('cancels an order that is %s on orders.order-cancelled', async (status) => {
    const orderId = await orderIn(status);
    await untilHandled(await scenario.publish(OrdersEvents.orderCancelled, cancelled(orderId, status)));
    expect((await replica(orderId))?.status).toBe('cancelled');
  });

  it('marks an order awaiting payment paid on orders.order-paid', async () => {
    const orderId = await orderIn('awaiting_payment');
    await untilHandled(await scenario.publish(OrdersEvents.orderPaid, paid(orderId)));
    expect((await replica(orderId))?.status).toBe('paid');
  });

  /** The payments subscriptions that read the event. */
  const readersOf = (event: EventDefinition) => app.bus.subscriptionTypes.filter(({ name, types }) => name.startsWith('payments.') && types.includes(event.type)).map(({ name }) => name);

  it.each<[name: string, status: string, arrivals: Array<'placed' | 'reserved' | 'cancelled' | 'paid' | 'rejected'>]>([
    ['stock-reserved before order-placed', 'awaiting_payment', ['reserved', 'placed']],
    ['order-placed before stock-reserved', 'awaiting_payment', ['placed', 'reserved']],
    ['stock-rejected before order-placed', 'rejected', ['rejected', 'placed']],
    ['order-cancelled before order-placed and stock-reserved', 'cancelled', ['cancelled', 'reserved', 'placed']],
    ['order-paid before stock-reserved', 'paid', ['placed', 'paid', 'reserved']],
  ])('applies %s with no retry: the order ends %s', async (_name, status, arrivals) => {
    const orderId = randomUUID();
    const data = { placed: placed(orderId), reserved: reserved(orderId), rejected: rejected(orderId), cancelled: cancelled(orderId, 'pending'), paid: paid(orderId) };
    const types = { placed: OrdersEvents.orderPlaced, reserved: ProductsEvents.stockReserved, rejected: ProductsEvents.stockRejected, cancelled: OrdersEvents.orderCancelled, paid: OrdersEvents.orderPaid };
    const delivered: Array<{ eventId: string; event: EventDefinition }> = [];
    // One at a time, each handled before the next is sent: the arrival order is the one named.
    for (const arrival of arrivals) {
      const eventId = await scenario.publish(types[arrival], data[arrival]);
      await untilHandled(eventId);
      delivered.push({ eventId, event: types[arrival] });
    }
    expect((await replica(orderId))?.status).toBe(status);
    // Each applied by its one payments subscription in its batch, at the first attempt: never parked for a retry.
    for (const { eventId, event } of delivered) {
      const readers = readersOf(event);
      expect(readers, event.type).toHaveLength(1);
      expect(await dealtWith(app.databaseUrl, readers[0]!, eventId), event.type).toBe(true);
      expect(await parkedJobs(app.databaseUrl, readers[0]!, eventId), event.type).toEqual([]);
    }
  });

  it('ends payable whichever of order-placed and stock-reserved arrives first when both arrive at once', async () => {
    const orderIds = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(
      orderIds.flatMap((orderId) => [
        scenario.publish(ProductsEvents.stockReserved, reserved(orderId)),
        scenario.publish(OrdersEvents.orderPlaced, placed(orderId)),
      ]),
    );
    for (const orderId of orderIds) await untilPayableOrder(app, orderId, 'awaiting_payment');
  });

  it.each<EventCase>([
    ['products.stock-rejected after reservation', 'awaiting_payment', ProductsEvents.stockRejected, rejected],
  ])('ignores %s: products decides once, the status stays %s', async (_name, status, event, data) => {
    const orderId = await orderIn('awaiting_payment');
    await untilHandled(await scenario.publish(event, data(orderId)));
    expect((await replica(orderId))?.status).toBe(status);
  });

  it('ignores products.stock-reserved for a cancelled order, and a repeated one for a payable order', async () => {
    const cancelledOrder = await orderIn('pending');
    await untilHandled(await scenario.publish(OrdersEvents.orderCancelled, cancelled(cancelledOrder, 'pending')));
    await untilHandled(await scenario.publish(ProductsEvents.stockReserved, reserved(cancelledOrder)));
    expect((await replica(cancelledOrder))?.status).toBe('cancelled');

    const payable = await orderIn('awaiting_payment');
    await untilHandled(await scenario.publish(ProductsEvents.stockReserved, reserved(payable)));
    expect((await replica(payable))?.status).toBe('awaiting_payment');
  });
});
