// orders.order-cancelled → products gives a reserved order's units back exactly once, and a
// cancel that overtakes its order-placed keeps that order from ever holding stock.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealtWith, parkedJobs } from '../../../../test/support/deliveries.js';
import { deadLettered, publishUnchecked } from '../../../../test/support/unchecked-events.js';
import { OrdersEvents } from '../../orders/api.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import {
  applied,
  cancelOrder,
  createProduct,
  orderPlacedData,
  payOrder,
  placeOrder,
  reservationOf,
  reservationReaches,
  reservedOrder,
  stockOf,
  SUBSCRIPTIONS,
} from '../products.test-support.js';

describe('releasing stock on orders.order-cancelled', () => {
  let scenario: Scenario;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
  });
  afterAll(() => scenario.close());

  it('releases every line of a reserved order and marks it released', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const plate = await createProduct(app, admin, { stock: 4 });
    const orderId = await reservedOrder(scenario, [
      { productId: mug.id, quantity: 2 },
      { productId: plate.id, quantity: 4 },
    ]);
    expect(await stockOf(app, plate.id)).toEqual({ stock: 4, reserved: 4 });
    await cancelOrder(scenario, orderId);
    await reservationReaches(app, orderId, 'released');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect(await stockOf(app, plate.id)).toEqual({ stock: 4, reserved: 0 });
  });

  it('makes the released units available to the next order', async () => {
    const mug = await createProduct(app, admin, { stock: 1 });
    const orderId = await reservedOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    await cancelOrder(scenario, orderId);
    await reservationReaches(app, orderId, 'released');
    await reservedOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    expect(await stockOf(app, mug.id)).toEqual({ stock: 1, reserved: 1 });
  });

  it('releases once when the cancel arrives twice', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    // Another order's units, which a second release would wrongly hand out.
    const holder = await reservedOrder(scenario, [{ productId: mug.id, quantity: 3 }]);
    const orderId = await reservedOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 4 });
    await applied(app, SUBSCRIPTIONS.release, 2, async () => {
      await cancelOrder(scenario, orderId);
      await cancelOrder(scenario, orderId);
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 3 });
    expect((await reservationOf(app, holder))?.status).toBe('reserved');
    expect((await reservationOf(app, orderId))?.status).toBe('released');
  });

  it('releases once when the same cancel event is delivered again', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    await reservedOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    const orderId = await reservedOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    const data = { orderId, customerId: randomUUID(), previousStatus: 'awaiting_payment' as const };
    await applied(app, SUBSCRIPTIONS.release, 3, async () => {
      for (let i = 0; i < 3; i += 1) await scenario.publish(OrdersEvents.orderCancelled, data);
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 2 });
  });

  it('records a cancel that arrives before the order, so the late order-placed reserves nothing', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = randomUUID();
    await applied(app, SUBSCRIPTIONS.release, 1, () => cancelOrder(scenario, orderId, 'pending'));
    expect(await reservationOf(app, orderId)).toEqual({ status: 'cancelled_before_reservation', lines: [] });
    await applied(app, SUBSCRIPTIONS.reserve, 1, () => placeOrder(scenario, [{ productId: mug.id, quantity: 3 }], orderId));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect((await reservationOf(app, orderId))?.status).toBe('cancelled_before_reservation');
  });

  it('honours a cancel committed while its order-placed is being handled, on the first attempt (no retry)', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = randomUUID();
    // A subscription reads only transactions older than every one still in flight, so the cancel
    // handler's write must begin after order-placed committed, and before products handles it:
    // meanwhile products.reserve-stock is held, its checkpoint locked as a process applying a
    // batch of it locks it.
    const holder = await app.database.sql.reserve();
    const cancel = await app.database.sql.reserve();
    let eventId: string;
    try {
      await holder`begin`;
      await holder`select 1 from events.subscriptions where name = ${SUBSCRIPTIONS.reserve} for update`;
      eventId = await scenario.publish(OrdersEvents.orderPlaced, orderPlacedData([{ productId: mug.id, quantity: 3 }], orderId));
      // The cancel handler's own write, held open until order-placed's handler is waiting on it.
      await cancel`begin`;
      await cancel`insert into products.order_reservations (order_id, status) values (${orderId}, 'cancelled_before_reservation')`;
      await holder`commit`;
      await waitFor(
        async () => {
          const [row] = await app.database.sql<Array<{ count: number }>>`
            select count(*)::int as count from pg_stat_activity
            where application_name = 'shop:products' and wait_event_type = 'Lock'`;
          return row!.count > 0;
        },
        { what: 'order-placed waiting on the cancel' },
      );
      await cancel`commit`;
    } finally {
      await holder`rollback`.catch(() => {});
      await cancel`rollback`.catch(() => {});
      holder.release();
      cancel.release();
    }
    await waitFor(() => dealtWith(app.databaseUrl, SUBSCRIPTIONS.reserve, eventId), { what: 'order-placed handled' });
    // Applied in its batch: never parked for a retry.
    expect(await parkedJobs(app.databaseUrl, SUBSCRIPTIONS.reserve, eventId)).toEqual([]);
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect(await reservationOf(app, orderId)).toEqual({ status: 'cancelled_before_reservation', lines: [] });
  });

  it('changes nothing when a rejected order is cancelled', async () => {
    const mug = await createProduct(app, admin, { stock: 1 });
    const holder = await reservedOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    const order = await placeOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    await reservationReaches(app, order.orderId, 'rejected');
    await applied(app, SUBSCRIPTIONS.release, 1, () => cancelOrder(scenario, order.orderId, 'pending'));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 1, reserved: 1 });
    expect((await reservationOf(app, order.orderId))?.status).toBe('rejected');
    expect((await reservationOf(app, holder))?.status).toBe('reserved');
  });

  it('changes nothing when a paid order is cancelled', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await reservedOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    await payOrder(scenario, orderId);
    await reservationReaches(app, orderId, 'committed');
    await applied(app, SUBSCRIPTIONS.release, 1, () => cancelOrder(scenario, orderId));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 0 });
    expect((await reservationOf(app, orderId))?.status).toBe('committed');
  });

  it('dead-letters a cancel whose orderId is not a UUID, with the schema error as its reason', async () => {
    const eventId = await publishUnchecked(app, OrdersEvents.orderCancelled, { orderId: 'nope', customerId: randomUUID(), previousStatus: 'pending' });
    expect((await deadLettered(app, SUBSCRIPTIONS.release, eventId)).error).toBe('orders.order-cancelled v1: data/orderId must match format "uuid"');
  });
});
