// The order status machine as the events drive it: products.stock-reserved/-rejected and
// payments.payment-succeeded/-refunded are published from the test exactly as those modules would,
// and orders.* events are seen by the harness's probe module. Products and payments do not run
// (only their contract and their events stand in), so nothing else moves these orders. Refused
// transitions are logged and dropped: the event counts as handled (the subscription's checkpoint
// passes it, with no retry) and the order stays as it was.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { dealtWith, parkedJobs } from '../../../../test/support/deliveries.js';
import { deadLettered, publishUnchecked } from '../../../../test/support/unchecked-events.js';
import { PaymentsEvents } from '../../payments/api.js';
import { ProductsEvents } from '../../products/api.js';
import { OrdersEvents } from '../api.js';
import { fakeCatalog, placeOrderAs, shippingAddress } from '../orders.test-support.js';

describe('order status events', () => {
  const catalog = fakeCatalog();
  const product = catalog.add({ priceCents: 1250, currency: 'USD' });

  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  let customer: TestUser;
  beforeAll(async () => {
    scenario = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn], captureLogs: true });
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());
  beforeEach(async () => {
    customer = await registerAndLogin(client);
  });

  const placeOrder = (quantity = 2) =>
    placeOrderAs<{ id: string; totalCents: number; currency: string; updatedAt: string }>(client, customer, [{ productId: product.id, quantity }]);

  /** Waits until the orders subscriptions have handled the event being published. */
  const deliver = async (publishing: Promise<string>) => scenario.handled(await publishing);

  const statusOf = async (orderId: string) =>
    (await query<{ status: string }>(app.databaseUrl, 'select status from orders.orders where id = $1', [orderId]))[0]?.status;

  // Counted in the event log, so an event published but not yet delivered counts too.
  const publishedCount = async (event: typeof OrdersEvents.orderPaid | typeof OrdersEvents.orderCancelled, orderId: string) =>
    (await scenario.publishedSoFar(event, (data) => data.orderId === orderId)).length;

  const reserve = (orderId: string) => deliver(scenario.publish(ProductsEvents.stockReserved, { orderId, lines: [{ productId: product.id, quantity: 2 }] }));
  const reject = (orderId: string) =>
    deliver(scenario.publish(ProductsEvents.stockRejected, { orderId, reason: 'insufficient_stock', lines: [{ productId: product.id, requested: 2, available: 1 }] }));
  const paymentSucceeded = (order: { id: string; totalCents: number; currency: string }, paymentId = randomUUID()) =>
    deliver(scenario.publish(PaymentsEvents.paymentSucceeded, { paymentId, orderId: order.id, amount: { cents: order.totalCents, currency: order.currency } }));
  const refunded = (orderId: string, fullyRefunded: boolean) =>
    deliver(scenario.publish(PaymentsEvents.paymentRefunded, { paymentId: randomUUID(), orderId, refundId: randomUUID(), amountCents: 100, fullyRefunded }));
  const cancel = (orderId: string) => client.inject({ method: 'POST', url: `/api/v1/orders/${orderId}/cancel`, headers: customer.auth });
  const refusalLogged = (orderId: string) => app.logs.some((line) => line.includes('order transition refused') && line.includes(orderId));

  async function paidOrder() {
    const order = await placeOrder();
    await reserve(order.id);
    await paymentSucceeded(order);
    expect(await statusOf(order.id)).toBe('paid');
    return order;
  }

  describe('transitions the machine allows', () => {
    it('moves a pending order to awaiting_payment when its stock is reserved, and bumps updatedAt', async () => {
      const order = await placeOrder();
      await reserve(order.id);
      const read = (await client.inject({ url: `/api/v1/orders/${order.id}`, headers: customer.auth })).json();
      expect(read.status).toBe('awaiting_payment');
      expect(Date.parse(read.updatedAt)).toBeGreaterThan(Date.parse(order.updatedAt));
    });

    it('moves a pending order to rejected when its stock is rejected', async () => {
      const order = await placeOrder();
      await reject(order.id);
      expect(await statusOf(order.id)).toBe('rejected');
    });

    it('moves an order awaiting payment to paid when the payment succeeds, and publishes orders.order-paid', async () => {
      const order = await placeOrder();
      await reserve(order.id);
      const paymentId = randomUUID();
      await paymentSucceeded(order, paymentId);
      expect(await statusOf(order.id)).toBe('paid');
      const event = await scenario.published(OrdersEvents.orderPaid, (data) => data.orderId === order.id);
      expect(event).toMatchObject({ type: 'orders.order-paid', source: 'orders', version: 1 });
      expect(event.data).toEqual({ orderId: order.id, paymentId });
    });

    // Payments charges once it has seen products.stock-reserved; orders may hear of the reservation
    // later (its handler's worker died and the job waits for the heartbeat hand-off). The money
    // was taken for held stock: the order is paid, and the late reservation changes nothing.
    it('moves a pending order to paid when the payment succeeds before orders hears of the reservation', async () => {
      const order = await placeOrder();
      const paymentId = randomUUID();
      await paymentSucceeded(order, paymentId);
      expect(await statusOf(order.id)).toBe('paid');
      await reserve(order.id);
      expect(await statusOf(order.id)).toBe('paid');
      expect((await scenario.published(OrdersEvents.orderPaid, (data) => data.orderId === order.id)).data).toEqual({ orderId: order.id, paymentId });
      expect(await publishedCount(OrdersEvents.orderPaid, order.id)).toBe(1);
    });

    it('moves a paid order to refunded when the payment is fully refunded', async () => {
      const order = await paidOrder();
      await refunded(order.id, true);
      expect(await statusOf(order.id)).toBe('refunded');
    });

    it('leaves a paid order paid after a partial refund, and refunds it when the rest is refunded', async () => {
      const order = await paidOrder();
      await refunded(order.id, false);
      expect(await statusOf(order.id)).toBe('paid');
      await refunded(order.id, true);
      expect(await statusOf(order.id)).toBe('refunded');
    });
  });

  describe('duplicates change nothing', () => {
    it('keeps awaiting_payment when stock-reserved arrives twice, and logs the refusal', async () => {
      const order = await placeOrder();
      await reserve(order.id);
      await reserve(order.id);
      expect(await statusOf(order.id)).toBe('awaiting_payment');
      expect(refusalLogged(order.id)).toBe(true);
    });

    it('publishes orders.order-paid once when payment-succeeded arrives twice', async () => {
      const order = await placeOrder();
      await reserve(order.id);
      const paymentId = randomUUID();
      await paymentSucceeded(order, paymentId);
      await paymentSucceeded(order, paymentId);
      expect(await statusOf(order.id)).toBe('paid');
      expect(await publishedCount(OrdersEvents.orderPaid, order.id)).toBe(1);
    });

    it('keeps rejected when stock-rejected arrives twice', async () => {
      const order = await placeOrder();
      await reject(order.id);
      await reject(order.id);
      expect(await statusOf(order.id)).toBe('rejected');
    });

    it('keeps refunded when the full refund arrives twice', async () => {
      const order = await paidOrder();
      await refunded(order.id, true);
      await refunded(order.id, true);
      expect(await statusOf(order.id)).toBe('refunded');
    });
  });

  describe('events out of order change nothing they should not', () => {
    it('ignores stock-rejected after the stock was reserved', async () => {
      const order = await placeOrder();
      await reserve(order.id);
      await reject(order.id);
      expect(await statusOf(order.id)).toBe('awaiting_payment');
    });

    it('ignores stock-reserved after the stock was rejected', async () => {
      const order = await placeOrder();
      await reject(order.id);
      await reserve(order.id);
      expect(await statusOf(order.id)).toBe('rejected');
    });

    it('ignores a refund of an order that is not paid', async () => {
      const order = await placeOrder();
      await reserve(order.id);
      await refunded(order.id, true);
      expect(await statusOf(order.id)).toBe('awaiting_payment');
    });

    it('ignores stock-reserved and payment-succeeded arriving again for a paid order', async () => {
      const order = await paidOrder();
      await reserve(order.id);
      await paymentSucceeded(order);
      expect(await statusOf(order.id)).toBe('paid');
      expect(await publishedCount(OrdersEvents.orderPaid, order.id)).toBe(1);
    });

    it('ignores stock-reserved for an order already cancelled', async () => {
      const order = await placeOrder();
      expect((await cancel(order.id)).statusCode).toBe(200);
      await reserve(order.id);
      expect(await statusOf(order.id)).toBe('cancelled');
    });

    it('ignores a payment for an order already cancelled, and publishes no orders.order-paid', async () => {
      const order = await placeOrder();
      await reserve(order.id);
      expect((await cancel(order.id)).statusCode).toBe(200);
      await paymentSucceeded(order);
      expect(await statusOf(order.id)).toBe('cancelled');
      expect(await publishedCount(OrdersEvents.orderPaid, order.id)).toBe(0);
    });
  });

  describe('events for orders this module does not know', () => {
    it('handles them without failing (no retry, no dead letter) and logs them', async () => {
      const orderId = randomUUID();
      const reserved = await scenario.publish(ProductsEvents.stockReserved, { orderId, lines: [{ productId: product.id, quantity: 2 }] });
      await scenario.handled(reserved);
      // Version 1, as stored by a payments module from before v2 (today's publisher publishes v2
      // only, so it is written straight to the event log): the handler reads it as v2.
      const succeeded = await publishUnchecked(app, PaymentsEvents.paymentSucceededV1, { paymentId: randomUUID(), orderId, amountCents: 100, currency: 'USD' });
      await scenario.handled(succeeded);
      // Each applied in its batch, at the first attempt: never parked for a retry, never dead-lettered.
      for (const [subscription, eventId] of [
        ['orders.stock-reserved', reserved],
        ['orders.payment-succeeded', succeeded],
      ] as const) {
        expect(await dealtWith(app.databaseUrl, subscription, eventId), subscription).toBe(true);
        expect(await parkedJobs(app.databaseUrl, subscription, eventId), subscription).toEqual([]);
      }
      expect(app.logs.some((line) => line.includes('does not know') && line.includes(orderId))).toBe(true);
      expect(await statusOf(orderId)).toBeUndefined();
    });
  });

  describe('malformed events', () => {
    it('dead-letters an event that does not fit the publisher’s schema, with the schema error as its reason, at the first attempt', async () => {
      const eventId = await publishUnchecked(app, ProductsEvents.stockReserved, { orderId: 'not-a-uuid', lines: [] });
      const letter = await deadLettered(app, 'orders.stock-reserved', eventId);
      expect(letter.error).toBe('products.stock-reserved v1: data/orderId must match format "uuid"; data/lines must not have fewer than 1 items');
      expect(letter.attempts).toBe(1);
    });

    it('applies an event that writes the order id in upper case', async () => {
      const order = await placeOrder();
      await reserve(order.id.toUpperCase());
      expect(await statusOf(order.id)).toBe('awaiting_payment');
    });
  });

  describe('events the orders module publishes', () => {
    it('publishes orders.order-placed with the order’s lines, total and currency', async () => {
      const order = await placeOrder(3);
      const event = await scenario.published(OrdersEvents.orderPlaced, (data) => data.orderId === order.id);
      expect(event).toMatchObject({ type: 'orders.order-placed', source: 'orders', version: 1 });
      expect(event.data).toEqual({
        orderId: order.id,
        customerId: customer.id,
        items: [{ productId: product.id, quantity: 3, unitPriceCents: 1250 }],
        totalCents: 3750,
        currency: 'USD',
      });
    });

    it.each([
      ['pending', async () => {}],
      ['awaiting_payment', reserve],
    ] as const)('publishes orders.order-cancelled with previousStatus %s', async (previousStatus, prepare) => {
      const order = await placeOrder();
      await prepare(order.id);
      expect((await cancel(order.id)).statusCode).toBe(200);
      const event = await scenario.published(OrdersEvents.orderCancelled, (data) => data.orderId === order.id);
      expect(event.data).toEqual({ orderId: order.id, customerId: customer.id, previousStatus, reason: 'requested' });
    });

    it('publishes nothing for an order that was refused', async () => {
      const refused = await client.inject({ method: 'POST', url: '/api/v1/orders', headers: customer.auth, payload: { items: [{ productId: randomUUID(), quantity: 1 }], shippingAddress: shippingAddress() } });
      expect(refused.statusCode).toBe(422);
      const placed = await placeOrder();
      const events = await scenario.publishedSoFar(OrdersEvents.orderPlaced, (data) => data.customerId === customer.id);
      expect(events.map((event) => event.data.orderId)).toEqual([placed.id]);
    });

    it('publishes no orders.order-cancelled when the cancel is refused', async () => {
      const order = await paidOrder();
      expect((await cancel(order.id)).statusCode).toBe(409);
      expect(await publishedCount(OrdersEvents.orderCancelled, order.id)).toBe(0);
    });
  });

  it('lets an admin see the status the events produced', async () => {
    const order = await placeOrder();
    await reserve(order.id);
    const read = await client.inject({ url: `/api/v1/orders/${order.id}`, headers: admin });
    expect(read.json().status).toBe('awaiting_payment');
  });
});
