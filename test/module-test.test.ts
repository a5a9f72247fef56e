// The module test harness itself (test/support/module-test.ts): upstream events go through their
// publisher's own bus transaction and schema check, what the module under test publishes is seen
// by a subscriber in another module, and a needed contract is a typed stand-in or a refusal.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersEvents } from '../src/modules/orders/api.js';
import { PaymentsEvents } from '../src/modules/payments/api.js';
import { ProductsContract, ProductsEvents } from '../src/modules/products/api.js';
import { EventSchemaError } from '../src/platform/events/event-definition.js';
import { dealtWith } from './support/deliveries.js';
import { standIn, startModuleTest, type Scenario } from './support/module-test.js';
import { query } from './support/test-database.js';

const placed = (orderId: string) => ({
  orderId,
  customerId: randomUUID(),
  items: [{ productId: randomUUID(), quantity: 1, unitPriceCents: 100 }],
  totalCents: 100,
  currency: 'USD',
});

describe('the module test harness', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startModuleTest('products');
  });
  afterAll(() => scenario?.close());

  const envelopesOf = (eventId: string) =>
    query<{ type: string; source: string }>(scenario.app.databaseUrl, `select type, envelope->>'source' as source from events.log where id = $1`, [eventId]);
  /** The subscriptions with a checkpoint that read events of `type`. */
  const readersOf = async (type: string) =>
    (await query<{ name: string }>(scenario.app.databaseUrl, `select name from events.subscriptions where $1 = any(types) order by name`, [type])).map(({ name }) => name);

  it('publishes an upstream event as the module that publishes it, through the bus to the subscriptions', async () => {
    const orderId = randomUUID();
    const eventId = await scenario.publish(OrdersEvents.orderPlaced, placed(orderId));
    await scenario.handled(eventId);
    expect(await envelopesOf(eventId)).toEqual([{ type: 'orders.order-placed', source: 'orders' }]);
    expect(await readersOf('orders.order-placed')).toEqual(['products.reserve-stock']);
    expect(await dealtWith(scenario.app.databaseUrl, 'products.reserve-stock', eventId)).toBe(true);
  });

  it('applies the publisher’s schema check: data that does not fit is refused and nothing is stored', async () => {
    const orderId = randomUUID();
    await expect(scenario.publish(OrdersEvents.orderPlaced, { ...placed(orderId), items: [] })).rejects.toThrow(EventSchemaError);
    expect(await query(scenario.app.databaseUrl, `select 1 from events.log where envelope->'data'->>'orderId' = $1`, [orderId])).toEqual([]);
    expect(await query(scenario.app.databaseUrl, `select 1 from pgboss.job where data->'data'->>'orderId' = $1`, [orderId])).toEqual([]);
  });

  it('sees what the module under test publishes, delivered to a subscriber and in the event log', async () => {
    const orderId = randomUUID();
    await scenario.publish(OrdersEvents.orderPlaced, placed(orderId));
    const answer = await scenario.published(ProductsEvents.stockRejected, (data) => data.orderId === orderId);
    expect(answer).toMatchObject({ type: 'products.stock-rejected', source: 'products', data: { orderId, reason: 'unknown_product' } });
    expect((await scenario.publishedSoFar(ProductsEvents.stockRejected, (data) => data.orderId === orderId)).map((event) => event.id)).toEqual([answer.id]);
    expect(await scenario.publishedSoFar(ProductsEvents.stockReserved, (data) => data.orderId === orderId)).toEqual([]);
  });

  it('hands out the hosted module’s contract as a module that needs it gets it', async () => {
    expect(await scenario.contract(ProductsContract).getProducts([randomUUID()])).toEqual([]);
  });

  it('has no admin without users', () => {
    expect(() => scenario.admin).toThrow(/does not host users/);
  });
});

describe('the module test harness with a subscriber of an event that has an older version', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startModuleTest('orders', { alongside: ['users'], standIns: [standIn(ProductsContract, { getProducts: async () => [] })] });
  });
  afterAll(() => scenario?.close());

  it('publishes only the newest version of an event, as its publisher does', async () => {
    // Orders reads payments.payment-succeeded, so the event would be received: the refusal is the publisher's.
    expect(scenario.app.bus.subscriptionTypes.some(({ types }) => types.includes('payments.payment-succeeded'))).toBe(true);
    await expect(scenario.publish(PaymentsEvents.paymentSucceededV1, { paymentId: randomUUID(), orderId: randomUUID(), amountCents: 1, currency: 'USD' })).rejects.toThrow(
      /cannot publish "payments.payment-succeeded" v1/,
    );
  });
});

describe('the module test harness with a module that needs contracts', () => {
  it('refuses to start a module whose needed contract is neither hosted nor stood in', async () => {
    await expect(startModuleTest('orders', { alongside: ['users'] })).rejects.toThrow('orders needs the products contract');
  });

  it('refuses a stand-in no hosted module needs', async () => {
    const products = standIn(ProductsContract, { getProducts: async () => [] });
    await expect(startModuleTest('payments', { standIns: [products] })).rejects.toThrow('a stand-in for the products contract, which no hosted module needs');
  });

  it('checks a stand-in against the contract’s interface', () => {
    // @ts-expect-error getProducts answers summaries, not ids
    standIn(ProductsContract, { getProducts: async (ids) => ids });
    // @ts-expect-error the contract has no such method
    standIn(ProductsContract, { getProducts: async () => [], getProduct: async () => null });
  });
});
