// GET /api/v1/payments/:id and GET /api/v1/payments?orderId=: a customer sees their own payments,
// an admin sees any, and to everyone else they look absent.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { placePayableOrder } from '../payments.test-support.js';

const YEAR = new Date().getUTCFullYear();
const validCard = (number = '4242424242424242') => ({ number, expMonth: 12, expYear: YEAR + 2, cvc: '123' });

describe('reading payments', () => {
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('payments', { alongside: ['users'] });
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const placeOrder = (customerId: string) => placePayableOrder(scenario, customerId, { totalCents: 3000 });
  const pay = async (user: TestUser, orderId: string, number?: string) => {
    const response = await client.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: { ...user.auth, 'idempotency-key': randomUUID() },
      payload: { orderId, card: validCard(number) },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const get = (id: string, auth?: { authorization: string }) => client.inject({ url: `/api/v1/payments/${id}`, headers: auth ?? {} });
  const list = (search: string, auth?: { authorization: string }) => client.inject({ url: `/api/v1/payments${search}`, headers: auth ?? {} });

  describe('GET /api/v1/payments/:id', () => {
    it('answers 200 with the payment to its customer, exactly as POST answered', async () => {
      const user = await registerAndLogin(client);
      const payment = await pay(user, await placeOrder(user.id));
      const response = await get(payment.id, user.auth);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(payment);
    });

    it('shows failureReason on a failed payment', async () => {
      const user = await registerAndLogin(client);
      const payment = await pay(user, await placeOrder(user.id), '4000000000000002');
      expect((await get(payment.id, user.auth)).json()).toMatchObject({ status: 'failed', failureReason: 'card_declined', cardLast4: '0002' });
    });

    it('answers 200 with any payment to an admin', async () => {
      const user = await registerAndLogin(client);
      const payment = await pay(user, await placeOrder(user.id));
      const response = await get(payment.id, admin);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(payment);
    });

    it('answers 404 to another customer, the same as for an unknown id', async () => {
      const owner = await registerAndLogin(client);
      const other = await registerAndLogin(client);
      const payment = await pay(owner, await placeOrder(owner.id));
      const hidden = expectProblem(await get(payment.id, other.auth), 404);
      const unknown = expectProblem(await get(randomUUID(), other.auth), 404);
      expect(hidden.detail).toBe(unknown.detail);
    });

    it('answers 404 to an admin for an unknown id', async () => {
      expectProblem(await get(randomUUID(), admin), 404);
    });

    it('answers 400 naming params.id for an id that is not a uuid', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await get('not-a-uuid', user.auth), 400, ['params.id']);
    });

    it('answers 401 without a token', async () => {
      expectProblem(await get(randomUUID()), 401);
    });
  });

  describe('GET /api/v1/payments?orderId=', () => {
    it('lists an order’s payments, newest first, to its customer', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placeOrder(user.id);
      const declined = await pay(user, orderId, '4000000000000002');
      const succeeded = await pay(user, orderId);
      const response = await list(`?orderId=${orderId}`, user.auth);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [succeeded, declined], nextCursor: null });
    });

    it('lists an order’s payments to an admin', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placeOrder(user.id);
      const payment = await pay(user, orderId);
      expect((await list(`?orderId=${orderId}`, admin)).json()).toEqual({ items: [payment], nextCursor: null });
    });

    it('answers an empty page for a known order without payments', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placeOrder(user.id);
      expect((await list(`?orderId=${orderId}`, user.auth)).json()).toEqual({ items: [], nextCursor: null });
    });

    it('pages with limit and cursor without repeating or skipping a payment', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placeOrder(user.id);
      const made = [];
      for (let attempt = 0; attempt < 3; attempt += 1) made.push(await pay(user, orderId, '4000000000000002'));
      made.push(await pay(user, orderId));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await list(`?orderId=${orderId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, user.auth);
        expect(response.statusCode).toBe(200);
        const page: { items: Array<{ id: string }>; nextCursor: string | null } = response.json();
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(made.map((payment) => payment.id).reverse());
    });

    it('answers 404 to another customer, the same as for an unknown order', async () => {
      const owner = await registerAndLogin(client);
      const other = await registerAndLogin(client);
      const orderId = await placeOrder(owner.id);
      await pay(owner, orderId);
      const hidden = expectProblem(await list(`?orderId=${orderId}`, other.auth), 404);
      expect(hidden.detail).toBe(expectProblem(await list(`?orderId=${randomUUID()}`, other.auth), 404).detail);
    });

    it('answers 400 naming querystring.orderId when it is missing or not a uuid', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await list('', user.auth), 400, ['querystring.orderId']);
      expectProblem(await list('?orderId=123', user.auth), 400, ['querystring.orderId']);
    });

    it.each([['?limit=0'], ['?limit=101'], ['?limit=x'], ['?cursor=garbage'], ['?other=1']])('answers 400 for the bad query %s', async (extra) => {
      const user = await registerAndLogin(client);
      const orderId = await placeOrder(user.id);
      expectProblem(await list(`?orderId=${orderId}&${extra.slice(1)}`, user.auth), 400);
    });

    it('answers 401 without a token', async () => {
      expectProblem(await list(`?orderId=${randomUUID()}`), 401);
    });
  });
});
