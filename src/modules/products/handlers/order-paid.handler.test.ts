// orders.order-paid → products turns the order's held units into a sale, once: they leave stock
// and stop being reserved.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLettered, publishUnchecked } from '../../../../test/support/unchecked-events.js';
import { OrdersEvents } from '../../orders/api.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import {
  applied,
  cancelOrder,
  createProduct,
  payOrder,
  reservationOf,
  reservationReaches,
  reservedOrder,
  stockOf,
  SUBSCRIPTIONS,
} from '../products.test-support.js';

describe('committing stock on orders.order-paid', () => {
  let scenario: Scenario;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
  });
  afterAll(() => scenario.close());

  it('takes the sold units out of stock and out of reserved, for every line', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const plate = await createProduct(app, admin, { stock: 3 });
    const orderId = await reservedOrder(scenario, [
      { productId: mug.id, quantity: 2 },
      { productId: plate.id, quantity: 3 },
    ]);
    await payOrder(scenario, orderId);
    await reservationReaches(app, orderId, 'committed');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 0 });
    expect(await stockOf(app, plate.id)).toEqual({ stock: 0, reserved: 0 });
  });

  it('leaves other orders’ reservations alone', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const other = await reservedOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    const orderId = await reservedOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    await payOrder(scenario, orderId);
    await reservationReaches(app, orderId, 'committed');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 1 });
    expect((await reservationOf(app, other))?.status).toBe('reserved');
  });

  it('commits once when order-paid arrives twice', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    // Another order's units, which a second commit would wrongly sell.
    await reservedOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    const orderId = await reservedOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    await applied(app, SUBSCRIPTIONS.commit, 2, async () => {
      await payOrder(scenario, orderId);
      await payOrder(scenario, orderId);
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 2 });
  });

  it('changes nothing for an order that was cancelled and released', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await reservedOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    await cancelOrder(scenario, orderId);
    await reservationReaches(app, orderId, 'released');
    await applied(app, SUBSCRIPTIONS.commit, 1, () => payOrder(scenario, orderId));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect((await reservationOf(app, orderId))?.status).toBe('released');
  });

  it('changes nothing for an order products never saw, and records none', async () => {
    const orderId = randomUUID();
    await applied(app, SUBSCRIPTIONS.commit, 1, () => payOrder(scenario, orderId));
    expect(await reservationOf(app, orderId)).toBeNull();
  });

  it('dead-letters an order-paid whose orderId is not a UUID, with the schema error as its reason', async () => {
    const eventId = await publishUnchecked(app, OrdersEvents.orderPaid, { orderId: 42, paymentId: randomUUID() });
    expect((await deadLettered(app, SUBSCRIPTIONS.commit, eventId)).error).toBe('orders.order-paid v1: data/orderId must be string');
  });
});
