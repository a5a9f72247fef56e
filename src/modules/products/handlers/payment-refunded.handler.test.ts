// payments.payment-refunded → a full refund puts a sold order's units back into stock once (one
// that arrives before order-paid is remembered and applied at the commit); a partial refund
// changes no stock.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLettered, publishUnchecked } from '../../../../test/support/unchecked-events.js';
import { PaymentsEvents } from '../../payments/api.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import {
  applied,
  cancelOrder,
  createProduct,
  payOrder,
  refundOrder,
  reservationOf,
  reservationReaches,
  reservedOrder,
  stockOf,
  SUBSCRIPTIONS,
} from '../products.test-support.js';
import type { StockLine } from '../domain/reservation.js';

describe('restocking on payments.payment-refunded', () => {
  let scenario: Scenario;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const paidOrder = async (lines: StockLine[]) => {
    const orderId = await reservedOrder(scenario, lines);
    await payOrder(scenario, orderId);
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
    await refundOrder(scenario, orderId, true);
    await reservationReaches(app, orderId, 'restocked');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect(await stockOf(app, plate.id)).toEqual({ stock: 3, reserved: 0 });
  });

  it('restocks once when the full refund arrives twice', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 2 }]);
    await applied(app, SUBSCRIPTIONS.restock, 2, async () => {
      await refundOrder(scenario, orderId, true);
      await refundOrder(scenario, orderId, true);
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('changes no stock for a partial refund, and still restocks on the refund that completes it', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 2 }]);
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(scenario, orderId, false, 500));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 0 });
    expect((await reservationOf(app, orderId))?.status).toBe('committed');

    await refundOrder(scenario, orderId, true, 1500);
    await reservationReaches(app, orderId, 'restocked');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('remembers a full refund that arrives before order-paid and restocks the units once they are committed', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await reservedOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(scenario, orderId, true));
    // Still held: the order is paid for, its order-paid only has not arrived yet.
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 2 });
    expect((await reservationOf(app, orderId))?.status).toBe('reserved');

    await applied(app, SUBSCRIPTIONS.commit, 1, () => payOrder(scenario, orderId));
    expect((await reservationOf(app, orderId))?.status).toBe('restocked');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('ends a refunded order the same whichever of order-paid and the refund arrives first', async () => {
    const mug = await createProduct(app, admin, { stock: 6 });
    const paidFirst = await paidOrder([{ productId: mug.id, quantity: 2 }]);
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(scenario, paidFirst, true));
    const refundFirst = await reservedOrder(scenario, [{ productId: mug.id, quantity: 3 }]);
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(scenario, refundFirst, true));
    await applied(app, SUBSCRIPTIONS.commit, 1, () => payOrder(scenario, refundFirst));

    expect((await reservationOf(app, paidFirst))?.status).toBe('restocked');
    expect((await reservationOf(app, refundFirst))?.status).toBe('restocked');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 6, reserved: 0 });
  });

  it('releases the units of a refunded order that is cancelled instead of paid, whichever comes first', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const refundFirst = await reservedOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(scenario, refundFirst, true));
    await applied(app, SUBSCRIPTIONS.release, 1, () => cancelOrder(scenario, refundFirst));
    const cancelFirst = await reservedOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    await applied(app, SUBSCRIPTIONS.release, 1, () => cancelOrder(scenario, cancelFirst));
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(scenario, cancelFirst, true));

    expect((await reservationOf(app, refundFirst))?.status).toBe('released');
    expect((await reservationOf(app, cancelFirst))?.status).toBe('released');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('changes nothing for a refund of an order products never saw, and records none', async () => {
    const orderId = randomUUID();
    await applied(app, SUBSCRIPTIONS.restock, 1, () => refundOrder(scenario, orderId, true));
    expect(await reservationOf(app, orderId)).toBeNull();
  });

  it('dead-letters a refund without fullyRefunded, with the schema error as its reason, changing no stock', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = await paidOrder([{ productId: mug.id, quantity: 1 }]);
    const eventId = await publishUnchecked(app, PaymentsEvents.paymentRefunded, { paymentId: randomUUID(), orderId, refundId: randomUUID(), amountCents: 1000 });
    expect((await deadLettered(app, SUBSCRIPTIONS.restock, eventId)).error).toBe('payments.payment-refunded v1: data must have required properties fullyRefunded');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 4, reserved: 0 });
  });
});
