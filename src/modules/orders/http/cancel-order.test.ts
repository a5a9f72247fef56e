// POST /api/v1/orders/:id/cancel: the owner (or an admin) cancels an order that is pending or
// awaiting payment; every later status answers 409. Later statuses are reached through the events
// products and payments would publish.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { PaymentsEvents } from '../../payments/api.js';
import { ProductsEvents } from '../../products/api.js';
import { fakeCatalog, placeOrderAs } from '../orders.test-support.js';

type Auth = { authorization: string };
type Order = { id: string; status: string; totalCents: number; currency: string; updatedAt: string };

describe('POST /api/v1/orders/:id/cancel', () => {
  const catalog = fakeCatalog();
  const product = catalog.add();
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: Auth;
  let customer: TestUser;
  beforeAll(async () => {
    scenario = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn] });
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());
  beforeEach(async () => {
    customer = await registerAndLogin(client);
  });

  const placeOrder = () => placeOrderAs<Order>(client, customer, [{ productId: product.id, quantity: 1 }]);
  const cancel = (id: string, auth: Auth = customer.auth) => client.inject({ method: 'POST', url: `/api/v1/orders/${id}/cancel`, headers: auth });
  const statusOf = async (id: string) => (await query<{ status: string }>(app.databaseUrl, 'select status from orders.orders where id = $1', [id]))[0]?.status;
  /** Publishes an upstream event (as products or payments would) and waits until the order has the status. */
  const reachStatus = async (order: Order, publishing: Promise<string>, status: string) => {
    await publishing;
    await scenario.eventually(async () => (await statusOf(order.id)) === status, { what: `order ${order.id} ${status}` });
  };
  const reserved = (order: Order) =>
    reachStatus(order, scenario.publish(ProductsEvents.stockReserved, { orderId: order.id, lines: [{ productId: product.id, quantity: 1 }] }), 'awaiting_payment');
  const rejected = (order: Order) =>
    reachStatus(
      order,
      scenario.publish(ProductsEvents.stockRejected, { orderId: order.id, reason: 'insufficient_stock', lines: [{ productId: product.id, requested: 1, available: 0 }] }),
      'rejected',
    );
  const paid = (order: Order) =>
    reachStatus(
      order,
      scenario.publish(PaymentsEvents.paymentSucceeded, { paymentId: randomUUID(), orderId: order.id, amount: { cents: order.totalCents, currency: order.currency } }),
      'paid',
    );
  const refunded = (order: Order) =>
    reachStatus(
      order,
      scenario.publish(PaymentsEvents.paymentRefunded, { paymentId: randomUUID(), orderId: order.id, refundId: randomUUID(), amountCents: order.totalCents, fullyRefunded: true }),
      'refunded',
    );

  describe('in the states that allow it', () => {
    it('cancels a pending order and answers 200 with it', async () => {
      const order = await placeOrder();
      const response = await cancel(order.id);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ id: order.id, status: 'cancelled' });
      expect(Date.parse(response.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(order.updatedAt));
      expect(await statusOf(order.id)).toBe('cancelled');
    });

    it('cancels an order awaiting payment', async () => {
      const order = await placeOrder();
      await reserved(order);
      const response = await cancel(order.id);
      expect(response.statusCode).toBe(200);
      expect(response.json().status).toBe('cancelled');
    });

    it('lets an admin cancel any customer’s order', async () => {
      const order = await placeOrder();
      const response = await cancel(order.id, admin);
      expect(response.statusCode).toBe(200);
      expect(response.json().status).toBe('cancelled');
    });
  });

  describe('in the states that do not', () => {
    it.each([
      ['cancelled', async (order: Order) => void (await cancel(order.id))],
      ['rejected', (order: Order) => rejected(order)],
      ['paid', async (order: Order) => { await reserved(order); await paid(order); }],
      ['refunded', async (order: Order) => { await reserved(order); await paid(order); await refunded(order); }],
    ])('answers 409 for an order that is %s, and leaves it so', async (status, reach) => {
      const order = await placeOrder();
      await reach(order);
      expect(await statusOf(order.id)).toBe(status);
      expectProblem(await cancel(order.id), 409);
      expectProblem(await cancel(order.id, admin), 409);
      expect(await statusOf(order.id)).toBe(status);
    });

    // The row lock is what makes this hold: without it, cancels that read `pending` before the
    // first one commits would each cancel again (and each publish orders.order-cancelled).
    it('cancels each order once when it is cancelled many times at once', async () => {
      const orders = await Promise.all(Array.from({ length: 4 }, placeOrder));
      const attempts = orders.flatMap((order) => Array.from({ length: 8 }, () => ({ order, response: cancel(order.id) })));
      const codes = await Promise.all(attempts.map(async ({ order, response }) => ({ id: order.id, status: (await response).statusCode })));
      for (const order of orders) {
        expect(codes.filter((code) => code.id === order.id).map((code) => code.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      }
    });
  });

  describe('who may cancel', () => {
    it('answers 404 to another customer and leaves the order as it was', async () => {
      const order = await placeOrder();
      const other = await registerAndLogin(client);
      expectProblem(await cancel(order.id, other.auth), 404);
      expect(await statusOf(order.id)).toBe('pending');
    });

    it('answers 404 for an unknown id', async () => {
      expectProblem(await cancel(randomUUID()), 404);
      expectProblem(await cancel(randomUUID(), admin), 404);
    });

    it('answers 400 naming the id when it is not a UUID', async () => {
      expectProblem(await cancel('not-a-uuid'), 400, ['params.id']);
    });

    it('answers 401 without a valid token', async () => {
      const order = await placeOrder();
      expectProblem(await client.inject({ method: 'POST', url: `/api/v1/orders/${order.id}/cancel` }), 401);
      expect(await statusOf(order.id)).toBe('pending');
    });
  });
});
