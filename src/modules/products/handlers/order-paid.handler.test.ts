// orders.order-paid → products turns the order's held units into a sale, once: they leave stock
// and stop being reserved.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { ADMIN_ENV, loginAdmin } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import {
  cancelOrder,
  createProduct,
  handledCount,
  payOrder,
  placeOrder,
  productsTestModules,
  publishAs,
  reservationOf,
  stockOf,
  SUBSCRIPTIONS,
} from '../products.test-support.js';
import type { StockLine } from '../domain/reservation.js';

describe('committing stock on orders.order-paid', () => {
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    app = await startTestApp({ env: ADMIN_ENV, ...productsTestModules() });
    admin = (await loginAdmin(app.server)).auth;
  });
  afterAll(() => app.close());

  const applied = async (subscription: string, count: number, publishing: () => Promise<unknown>) => {
    const before = await handledCount(app, subscription);
    await publishing();
    await waitFor(async () => (await handledCount(app, subscription)) >= before + count, { what: `${count} events applied by ${subscription}` });
  };
  const statusIs = (orderId: string, status: string) =>
    waitFor(async () => (await reservationOf(app, orderId))?.status === status, { what: `order ${orderId} ${status}` });
  const reservedOrder = async (lines: StockLine[]) => {
    const order = await placeOrder(app, lines);
    await statusIs(order.orderId, 'reserved');
    return order.orderId;
  };

  it('takes the sold units out of stock and out of reserved, for every line', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const plate = await createProduct(app, admin, { stock: 3 });
    const orderId = await reservedOrder([
      { productId: mug.id, quantity: 2 },
      { productId: plate.id, quantity: 3 },
    ]);
    await payOrder(app, orderId);
    await statusIs(orderId, 'committed');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 0 });
    expect(await stockOf(app, plate.id)).toEqual({ stock: 0, reserved: 0 });
  });

  it('leaves other orders’ reservations alone', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const other = await reservedOrder([{ productId: mug.id, quantity: 1 }]);
    const orderId = await reservedOrder([{ productId: mug.id, quantity: 2 }]);
    await payOrder(app, orderId);
    await statusIs(orderId, 'committed');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 1 });
    expect((await reservationOf(app, other))?.status).toBe('reserved');
  });

  it('commits once when order-paid arrives twice', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    // Another order's units, which a second commit would wrongly sell.
    await reservedOrder([{ productId: mug.id, quantity: 2 }]);
    const orderId = await reservedOrder([{ productId: mug.id, quantity: 2 }]);
    await applied(SUBSCRIPTIONS.commit, 2, async () => {
      await payOrder(app, orderId);
      await payOrder(app, orderId);
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 2 });
  });

  it('changes nothing for an order that was cancelled and released', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await reservedOrder([{ productId: mug.id, quantity: 2 }]);
    await cancelOrder(app, orderId);
    await statusIs(orderId, 'released');
    await applied(SUBSCRIPTIONS.commit, 1, () => payOrder(app, orderId));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect((await reservationOf(app, orderId))?.status).toBe('released');
  });

  it('changes nothing for an order products never saw, and records none', async () => {
    const orderId = randomUUID();
    await applied(SUBSCRIPTIONS.commit, 1, () => payOrder(app, orderId));
    expect(await reservationOf(app, orderId)).toBeNull();
  });

  it('ignores an order-paid whose orderId is not a UUID, without retrying it', async () => {
    await applied(SUBSCRIPTIONS.commit, 1, () => publishAs(app, 'orders', 'orders.order-paid', { orderId: 42, paymentId: randomUUID() }));
  });
});
