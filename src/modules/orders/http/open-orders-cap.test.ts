// POST /api/v1/orders and the open-orders cap: a customer holds at most
// MAX_OPEN_ORDERS_PER_CUSTOMER orders that are pending or awaiting payment; one more answers 409
// until one is paid or cancelled. Concurrent placements are counted one after another.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { fakeCatalog, placeOrderAs, shippingAddress } from '../orders.test-support.js';

const CAP = 5;

describe('the open-orders cap', () => {
  const catalog = fakeCatalog();
  const product = catalog.add();
  let app: TestApp;
  let client: Injector;
  let customer: TestUser;
  beforeAll(async () => ({ app, client } = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn], env: { MAX_OPEN_ORDERS_PER_CUSTOMER: String(CAP) } })));
  afterAll(() => app.close());
  beforeEach(async () => {
    customer = await registerAndLogin(client);
  });

  const place = (who: TestUser = customer) =>
    client.inject({ method: 'POST', url: '/api/v1/orders', headers: who.auth, payload: { items: [{ productId: product.id, quantity: 1 }], shippingAddress: shippingAddress() } });
  const placeUpToTheCap = async () => {
    const orders: Array<{ id: string }> = [];
    for (let i = 0; i < CAP; i += 1) orders.push(await placeOrderAs(client, customer, [{ productId: product.id, quantity: 1 }]));
    return orders;
  };
  const storedOrders = async (who: TestUser) =>
    (await query<{ count: number }>(app.databaseUrl, 'select count(*)::int as count from orders.orders where customer_id = $1', [who.id]))[0]!.count;

  it(`refuses the order after ${CAP} unpaid ones with 409 problem+json saying what to do`, async () => {
    await placeUpToTheCap();
    const body = expectProblem(await place(), 409);
    expect(body.detail).toBe(`You have ${CAP} unpaid orders; pay or cancel one first`);
    expect(await storedOrders(customer)).toBe(CAP);
  });

  it(`creates exactly ${CAP} of 10 concurrent placements by one customer`, async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => place()));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([...Array(CAP).fill(201), ...Array(10 - CAP).fill(409)]);
    expect(await storedOrders(customer)).toBe(CAP);
  });

  it('takes an order again once one of the open ones is cancelled', async () => {
    const [first] = await placeUpToTheCap();
    expect((await place()).statusCode).toBe(409);
    const cancel = await client.inject({ method: 'POST', url: `/api/v1/orders/${first!.id}/cancel`, headers: customer.auth });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await place()).statusCode).toBe(201);
    expect((await place()).statusCode).toBe(409);
  });

  it('leaves other customers unaffected', async () => {
    await placeUpToTheCap();
    const other = await registerAndLogin(client);
    expect((await place(other)).statusCode).toBe(201);
  });
});

describe('the open-orders cap set to 0', () => {
  const catalog = fakeCatalog();
  const product = catalog.add();
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => ({ app, client } = await startModuleTest('orders', { alongside: ['users'], standIns: [catalog.standIn], env: { MAX_OPEN_ORDERS_PER_CUSTOMER: '0' } })));
  afterAll(() => app.close());

  it('sets no limit', async () => {
    const customer = await registerAndLogin(client);
    for (let i = 0; i < 8; i += 1) await placeOrderAs(client, customer, [{ productId: product.id, quantity: 1 }]);
  });
});
