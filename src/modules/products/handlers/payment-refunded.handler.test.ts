// payments.payment-refunded → a full refund puts a sold order's units back into stock once (or
// releases them if the order was still only reserved); a partial refund changes no stock.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { ADMIN_ENV, loginAdmin } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import {
  createProduct,
  handledCount,
  payOrder,
  placeOrder,
  productsTestModules,
  publishAs,
  refundOrder,
  reservationOf,
  stockOf,
  SUBSCRIPTIONS,
} from '../products.test-support.js';
import type { StockLine } from '../domain/reservation.js';

describe('restocking on payments.payment-refunded', () => {
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
  const paidOrder = async (lines: StockLine[]) => {
    const order = await placeOrder(app, lines);
    await statusIs(order.orderId, 'reserved');
    await payOrder(app, order.orderId);
    await statusIs(order.orderId, 'committed');
    return order.orderId;
  };

  it('puts every line of a fully refunded order back into stock and marks it restocked', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const plate = await createProduct(app, admin, { stock: 3 });
    const orderId = await paidOrder([
      { productId: mug.id, quantity: 2 },
      { productId: plate.id, quantity: 3 },
    ]);
    expect(await stockOf(app, plate.id)).toEqual({ stock: 0, reserved: 0 });
    await refundOrder(app, orderId, true);
    await statusIs(orderId, 'restocked');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect(await stockOf(app, plate.id)).toEqual({ stock: 3, reserved: 0 });
  });

  it('restocks once when the full refund arrives twice', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 2 }]);
    await applied(SUBSCRIPTIONS.restock, 2, async () => {
      await refundOrder(app, orderId, true);
      await refundOrder(app, orderId, true);
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('changes no stock for a partial refund, and still restocks on the refund that completes it', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 2 }]);
    await applied(SUBSCRIPTIONS.restock, 1, () => refundOrder(app, orderId, false, 500));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 0 });
    expect((await reservationOf(app, orderId))?.status).toBe('committed');

    await refundOrder(app, orderId, true, 1500);
    await statusIs(orderId, 'restocked');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('releases an order that was fully refunded while still only reserved', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const order = await placeOrder(app, [{ productId: mug.id, quantity: 2 }]);
    await statusIs(order.orderId, 'reserved');
    await refundOrder(app, order.orderId, true);
    await statusIs(order.orderId, 'released');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('changes nothing for a refund of an order products never saw, and records none', async () => {
    const orderId = randomUUID();
    await applied(SUBSCRIPTIONS.restock, 1, () => refundOrder(app, orderId, true));
    expect(await reservationOf(app, orderId)).toBeNull();
  });

  it('ignores a refund without fullyRefunded, without retrying it', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 1 }]);
    await applied(SUBSCRIPTIONS.restock, 1, () =>
      publishAs(app, 'payments', 'payments.payment-refunded', { paymentId: randomUUID(), orderId, refundId: randomUUID(), amountCents: 1000 }),
    );
    expect(await stockOf(app, mug.id)).toEqual({ stock: 4, reserved: 0 });
  });
});
