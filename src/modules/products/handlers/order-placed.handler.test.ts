// orders.order-placed → products reserves every line of the order or none, records what it did,
// and answers with products.stock-reserved or products.stock-rejected.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLettered, publishUnchecked } from '../../../../test/support/unchecked-events.js';
import { OrdersEvents } from '../../orders/api.js';
import { ProductsEvents } from '../api.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import {
  applied,
  cancelOrder,
  createProduct,
  placeOrder,
  reservationOf,
  stockOf,
  SUBSCRIPTIONS,
} from '../products.test-support.js';

describe('reserving stock on orders.order-placed', () => {
  let scenario: Scenario;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
  });
  afterAll(() => scenario.close());

  /** The products.stock-reserved and products.stock-rejected events published so far, delivered yet or not. */
  const stockAnswers = async (where: (data: { orderId: string }) => boolean = () => true) => [
    ...(await scenario.publishedSoFar(ProductsEvents.stockReserved, where)),
    ...(await scenario.publishedSoFar(ProductsEvents.stockRejected, where)),
  ];
  const answersTo = (orderId: string) => stockAnswers((data) => data.orderId === orderId);
  const answerTo = (orderId: string) => scenario.eventually(async () => (await answersTo(orderId))[0], { what: `the stock answer to order ${orderId}` });

  it('reserves every line, records the reservation and publishes products.stock-reserved with the lines', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const plate = await createProduct(app, admin, { stock: 3 });
    const order = await placeOrder(scenario, [
      { productId: mug.id, quantity: 2 },
      { productId: plate.id, quantity: 3 },
    ]);
    const answer = await answerTo(order.orderId);
    expect(answer).toMatchObject({ type: 'products.stock-reserved', source: 'products', version: 1 });
    expect(answer.data).toEqual({
      orderId: order.orderId,
      lines: expect.arrayContaining([
        { productId: mug.id, quantity: 2 },
        { productId: plate.id, quantity: 3 },
      ]),
    });
    expect((answer.data as { lines: unknown[] }).lines).toHaveLength(2);
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 2 });
    expect(await stockOf(app, plate.id)).toEqual({ stock: 3, reserved: 3 });
    expect(await reservationOf(app, order.orderId)).toEqual({
      status: 'reserved',
      lines: [
        { productId: mug.id, quantity: 2 },
        { productId: plate.id, quantity: 3 },
      ].sort((a, b) => a.productId.localeCompare(b.productId)),
    });
  });

  it('shows the reserved units on GET /api/v1/products/:id', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const order = await placeOrder(scenario, [{ productId: mug.id, quantity: 4 }]);
    await answerTo(order.orderId);
    expect((await app.server.inject({ url: `/api/v1/products/${mug.id}` })).json()).toMatchObject({ stock: 5, reserved: 4 });
  });

  it('reserves nothing when one line is short, and publishes products.stock-rejected with what is available', async () => {
    const plenty = await createProduct(app, admin, { stock: 10 });
    const scarce = await createProduct(app, admin, { stock: 2 });
    const earlier = await placeOrder(scenario, [{ productId: scarce.id, quantity: 1 }]);
    await answerTo(earlier.orderId);

    const order = await placeOrder(scenario, [
      { productId: plenty.id, quantity: 4 },
      { productId: scarce.id, quantity: 2 },
    ]);
    const answer = await answerTo(order.orderId);
    expect(answer).toMatchObject({ type: 'products.stock-rejected', source: 'products' });
    expect(answer.data).toEqual({
      orderId: order.orderId,
      reason: 'insufficient_stock',
      lines: expect.arrayContaining([
        { productId: plenty.id, requested: 4, available: 10 },
        { productId: scarce.id, requested: 2, available: 1 },
      ]),
    });
    expect((answer.data as { lines: unknown[] }).lines).toHaveLength(2);
    expect(await stockOf(app, plenty.id)).toEqual({ stock: 10, reserved: 0 });
    expect(await stockOf(app, scarce.id)).toEqual({ stock: 2, reserved: 1 });
    expect(await reservationOf(app, order.orderId)).toEqual({ status: 'rejected', lines: [] });
  });

  it('rolls back the lines already held when a later line is short, whatever their order in the event', async () => {
    const first = await createProduct(app, admin, { stock: 3 });
    const second = await createProduct(app, admin, { stock: 3 });
    // Lines are held in productId order: put the short line last in that order.
    const [low, high] = [first, second].sort((a, b) => a.id.localeCompare(b.id));
    const order = await placeOrder(scenario, [
      { productId: high!.id, quantity: 4 },
      { productId: low!.id, quantity: 3 },
    ]);
    expect((await answerTo(order.orderId)).type).toBe('products.stock-rejected');
    expect(await stockOf(app, low!.id)).toEqual({ stock: 3, reserved: 0 });
    expect(await stockOf(app, high!.id)).toEqual({ stock: 3, reserved: 0 });
  });

  it('reserves exactly the last available units', async () => {
    const mug = await createProduct(app, admin, { stock: 3 });
    const order = await placeOrder(scenario, [{ productId: mug.id, quantity: 3 }]);
    expect((await answerTo(order.orderId)).type).toBe('products.stock-reserved');
    expect(await stockOf(app, mug.id)).toEqual({ stock: 3, reserved: 3 });

    const next = await placeOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    const answer = await answerTo(next.orderId);
    expect(answer.data).toEqual({ orderId: next.orderId, reason: 'insufficient_stock', lines: [{ productId: mug.id, requested: 1, available: 0 }] });
  });

  it('rejects an order naming an unknown product with reason unknown_product and available 0, holding nothing', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const ghost = randomUUID();
    const order = await placeOrder(scenario, [
      { productId: mug.id, quantity: 1 },
      { productId: ghost, quantity: 1 },
    ]);
    const answer = await answerTo(order.orderId);
    expect(answer.type).toBe('products.stock-rejected');
    expect(answer.data).toEqual({
      orderId: order.orderId,
      reason: 'unknown_product',
      lines: expect.arrayContaining([
        { productId: mug.id, requested: 1, available: 5 },
        { productId: ghost, requested: 1, available: 0 },
      ]),
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('merges lines of the same product before checking what is available', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const order = await placeOrder(scenario, [
      { productId: mug.id, quantity: 3 },
      { productId: mug.id, quantity: 3 },
    ]);
    expect((await answerTo(order.orderId)).data).toEqual({
      orderId: order.orderId,
      reason: 'insufficient_stock',
      lines: [{ productId: mug.id, requested: 6, available: 5 }],
    });
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
  });

  it('reserves an order once when its order-placed arrives twice', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const order = await placeOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    await answerTo(order.orderId);
    await applied(app, SUBSCRIPTIONS.reserve, 1, () => scenario.publish(OrdersEvents.orderPlaced, order));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 2 });
    expect(await answersTo(order.orderId)).toHaveLength(1);
  });

  it('does not turn a rejected order into a reserved one when it arrives again after stock was added', async () => {
    const mug = await createProduct(app, admin, { stock: 1 });
    const order = await placeOrder(scenario, [{ productId: mug.id, quantity: 2 }]);
    expect((await answerTo(order.orderId)).type).toBe('products.stock-rejected');
    expect((await app.server.inject({ method: 'PATCH', url: `/api/v1/products/${mug.id}`, headers: admin, payload: { stock: 5 } })).statusCode).toBe(200);
    await applied(app, SUBSCRIPTIONS.reserve, 1, () => scenario.publish(OrdersEvents.orderPlaced, order));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect(await reservationOf(app, order.orderId)).toMatchObject({ status: 'rejected' });
  });

  it('reserves nothing for an order that was cancelled before its order-placed arrived', async () => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const orderId = randomUUID();
    await applied(app, SUBSCRIPTIONS.release, 1, () => cancelOrder(scenario, orderId, 'pending'));
    await applied(app, SUBSCRIPTIONS.reserve, 1, () => placeOrder(scenario, [{ productId: mug.id, quantity: 2 }], orderId));
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    expect(await reservationOf(app, orderId)).toEqual({ status: 'cancelled_before_reservation', lines: [] });
    expect(await answersTo(orderId)).toEqual([]);
  });

  it.each([
    ['an orderId that is not a UUID', (productId: string) => ({ orderId: 'order-1', items: [{ productId, quantity: 1 }] })],
    ['no items', () => ({ orderId: randomUUID(), items: [] })],
    ['a quantity of 0', (productId: string) => ({ orderId: randomUUID(), items: [{ productId, quantity: 0 }] })],
    ['a fractional quantity', (productId: string) => ({ orderId: randomUUID(), items: [{ productId, quantity: 1.5 }] })],
    ['a productId that is not a UUID', () => ({ orderId: randomUUID(), items: [{ productId: 'mug', quantity: 1 }] })],
    ['no data at all', () => null],
  ])('dead-letters an order-placed with %s at once: holds nothing, answers nothing', async (_what, build) => {
    const mug = await createProduct(app, admin, { stock: 5 });
    const data = build(mug.id);
    const answeredBefore = new Set((await stockAnswers()).map((event) => event.id));
    const letter = await deadLettered(app, SUBSCRIPTIONS.reserve, await publishUnchecked(app, OrdersEvents.orderPlaced, data));
    expect(letter.error).toMatch(/^orders\.order-placed v1: data/);
    expect(letter.attempts).toBe(1);
    expect(await stockOf(app, mug.id)).toEqual({ stock: 5, reserved: 0 });
    const orderId = (data as { orderId?: string } | null)?.orderId;
    if (orderId) expect(await query(app.databaseUrl, 'select 1 from products.order_reservations where order_id::text = $1', [orderId])).toEqual([]);
    // A later, valid order is answered, and nothing was published for the invalid one.
    const marker = await placeOrder(scenario, [{ productId: mug.id, quantity: 1 }]);
    await answerTo(marker.orderId);
    expect((await stockAnswers()).filter((event) => !answeredBefore.has(event.id)).map((event) => event.data.orderId)).toEqual([marker.orderId]);
  });
});
