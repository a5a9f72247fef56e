// payments.payment-refunded → a full refund puts a sold order's units back into stock once (or
// releases them if the order was still only reserved); a partial refund changes no stock.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { startAppWithAdmin } from '../../../../test/support/users.js';
import {
  applied,
  createProduct,
  payOrder,
  placeOrder,
  productsTestModules,
  publishAs,
  refundOrder,
  reservationOf,
  reservationReaches,
  reservedOrder,
  stockOf,
  SUBSCRIPTIONS,
} from '../products.test-support.js';
import type { StockLine } from '../domain/reservation.js';

describe('restocking on payments.payment-refunded', () => {
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => ({ app, admin } = await startAppWithAdmin(productsTestModules())));
  afterAll(() => app.close());

  const paidOrder = async (lines: StockLine[]) => {
    const orderId = await reservedOrder(app, lines);
    await payOrder(app, orderId);
    await reservationReaches(app, orderId, 'committed');
    return orderId;
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
    await reservationReaches(app, orderId, 'restocked');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect(await stockOf(app, plate.id)).toEqual({ stock: 3, reserved: 0 });
  });

  it('restocks once when the full refund arrives twice', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 2 }]);
    await applied(app, SUBSCRIPTIONS.restock, 2, async () => {
      await refundOrder(app, orderId, true);
      await refundOrder(app, orderId, true);
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('changes no stock for a partial refund, and still restocks on the refund that completes it', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 2 }]);
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(app, orderId, false, 500));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 0 });
    expect((await reservationOf(app, orderId))?.status).toBe('committed');

    await refundOrder(app, orderId, true, 1500);
    await reservationReaches(app, orderId, 'restocked');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('releases an order that was fully refunded while still only reserved', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const order = await placeOrder(app, [{ productId: mug.id, quantity: 2 }]);
    await reservationReaches(app, order.orderId, 'reserved');
    await refundOrder(app, order.orderId, true);
    await reservationReaches(app, order.orderId, 'released');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('changes nothing for a refund of an order products never saw, and records none', async () => {
    const orderId = randomUUID();
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(app, orderId, true));
    expect(await reservationOf(app, orderId)).toBeNull();
  });

  it('ignores a refund without fullyRefunded, without retrying it', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 1 }]);
    await applied(app, SUBSCRIPTIONS.restock, 1, () =>
      publishAs(app, 'payments', 'payments.payment-refunded', { paymentId: randomUUID(), orderId, refundId: randomUUID(), amountCents: 1000 }),
    );
    expect(await stockOf(app, mug.id)).toEqual({ stock: 4, reserved: 0 });
  });
});
