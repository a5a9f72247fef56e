// POST /api/v1/payments: charging an order awaiting payment, what is refused, and why.
// Orders and products do not run: the test plays their part by publishing their events, the
// only way the payments module learns about orders.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersEvents } from '../../orders/api.js';
import { ProductsEvents } from '../../products/api.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';
import { CATCH_UP_WAIT_MS } from '../payments.service.js';
import { payableOrderStatus, placePayableOrder, untilPayableOrder } from '../payments.test-support.js';

const YEAR = new Date().getUTCFullYear();
const validCard = (overrides: Record<string, unknown> = {}) => ({ number: '4242424242424242', expMonth: 12, expYear: YEAR + 2, cvc: '123', ...overrides });

describe('paying an order', () => {
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('payments', { alongside: ['users'] });
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const pay = (user: { auth: { authorization: string } }, orderId: string, card: unknown = validCard(), key: string | null = randomUUID()) =>
    client.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: { ...user.auth, ...(key === null ? {} : { 'idempotency-key': key }) },
      payload: { orderId, card } as object,
    });
  const paymentRows = (orderId: string) =>
    query<{ status: string; amount_cents: string }>(app.databaseUrl, 'select status, amount_cents from payments.payments where order_id = $1', [orderId]);

  describe('success', () => {
    it('charges the order’s total and answers 201 with the succeeded payment', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id, { totalCents: 4999, currency: 'EUR' });
      const response = await pay(user, orderId);
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json();
      expect(body).toEqual({
        id: expect.stringMatching(UUID),
        orderId,
        customerId: user.id,
        amountCents: 4999,
        currency: 'EUR',
        status: 'succeeded',
        cardLast4: '4242',
        createdAt: expect.any(String),
      });
      expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
    });

    it('marks the order paid, so paying it again with another key answers 409 and charges nothing more', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      expect((await pay(user, orderId)).statusCode).toBe(201);
      expect(await payableOrderStatus(app, orderId)).toBe('paid');
      expectProblem(await pay(user, orderId), 409);
      expect(await paymentRows(orderId)).toEqual([{ status: 'succeeded', amount_cents: '2500' }]);
    });

    it('accepts any other Luhn-valid card number and shows its last four digits', async () => {
      const user = await registerAndLogin(client);
      const response = await pay(user, await placePayableOrder(scenario, user.id), validCard({ number: '5555555555554444' }));
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ status: 'succeeded', cardLast4: '4444' });
    });

    it('trims spaces around the card number and cvc', async () => {
      const user = await registerAndLogin(client);
      const response = await pay(user, await placePayableOrder(scenario, user.id), validCard({ number: ' 4242424242424242 ', cvc: ' 123 ' }));
      expect(response.statusCode).toBe(201);
    });

    it('accepts a card that expires this month', async () => {
      const user = await registerAndLogin(client);
      const response = await pay(user, await placePayableOrder(scenario, user.id), validCard({ expYear: YEAR, expMonth: new Date().getUTCMonth() + 1 }));
      expect(response.statusCode, response.body).toBe(201);
    });
  });

  describe('declined cards', () => {
    it.each([
      ['4000000000000002', 'card_declined', '0002'],
      ['4000000000009995', 'insufficient_funds', '9995'],
    ])('records %s as a failed payment (%s): 201 with status failed, and the order stays payable', async (number, reason, last4) => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      const response = await pay(user, orderId, validCard({ number }));
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({
        id: expect.stringMatching(UUID),
        orderId,
        customerId: user.id,
        amountCents: 2500,
        currency: 'USD',
        status: 'failed',
        failureReason: reason,
        cardLast4: last4,
        createdAt: expect.any(String),
      });
      expect(await payableOrderStatus(app, orderId)).toBe('awaiting_payment');
    });

    it('lets the customer pay with another card after a decline', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      expect((await pay(user, orderId, validCard({ number: '4000000000000002' }))).json().status).toBe('failed');
      expect((await pay(user, orderId, validCard({ number: '4000000000009995' }))).json().status).toBe('failed');
      const success = await pay(user, orderId);
      expect(success.statusCode).toBe(201);
      expect(success.json().status).toBe('succeeded');
      expect((await paymentRows(orderId)).map((row) => row.status).sort()).toEqual(['failed', 'failed', 'succeeded']);
    });
  });

  describe('validation', () => {
    it('refuses a request without an Idempotency-Key with 400 naming headers.idempotency-key', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await pay(user, await placePayableOrder(scenario, user.id), validCard(), null), 400, ['headers.idempotency-key']);
    });

    it.each([['short'], ['1234567'], ['x'.repeat(256)]])('refuses the Idempotency-Key %j (not 8-255 characters) with 400', async (key) => {
      const user = await registerAndLogin(client);
      expectProblem(await pay(user, await placePayableOrder(scenario, user.id), validCard(), key), 400, ['headers.idempotency-key']);
    });

    it('accepts Idempotency-Keys of exactly 8 and 255 characters', async () => {
      const user = await registerAndLogin(client);
      expect((await pay(user, await placePayableOrder(scenario, user.id), validCard(), randomUUID().slice(0, 8))).statusCode).toBe(201);
      expect((await pay(user, await placePayableOrder(scenario, user.id), validCard(), `${randomUUID()}${'k'.repeat(219)}`)).statusCode).toBe(201);
    });

    it.each([
      ['4242424242424241', 'a wrong check digit'],
      ['1234567812345678', 'a wrong check digit'],
      ['4242-4242-4242-4242', 'dashes'],
      ['4242 4242 4242 4242', 'inner spaces'],
      ['42424242424', 'only 11 digits'],
      ['42424242424242424242', '20 digits'],
      ['', 'nothing'],
    ])('refuses the card number %j (%s) with 400 naming card.number and records nothing', async (number) => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      expectProblem(await pay(user, orderId, validCard({ number })), 400, ['card.number']);
      expect(await paymentRows(orderId)).toEqual([]);
      expect(await payableOrderStatus(app, orderId)).toBe('awaiting_payment');
    });

    it.each([
      [{ expMonth: 0 }, 'card.expMonth'],
      [{ expMonth: 13 }, 'card.expMonth'],
      [{ expMonth: '12' }, 'card.expMonth'],
      [{ expMonth: 6.5 }, 'card.expMonth'],
      [{ expYear: YEAR - 1 }, 'card.expYear'],
      [{ expYear: YEAR + 21 }, 'card.expYear'],
      [{ expYear: 26 }, 'card.expYear'],
      [{ expYear: String(YEAR + 1) }, 'card.expYear'],
    ])('refuses the expiry %j with 400 naming %s', async (expiry, path) => {
      const user = await registerAndLogin(client);
      expectProblem(await pay(user, await placePayableOrder(scenario, user.id), validCard(expiry)), 400, [path]);
    });

    it.skipIf(new Date().getUTCMonth() === 0)('refuses a card that expired earlier this year with 400 naming card.expMonth', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await pay(user, await placePayableOrder(scenario, user.id), validCard({ expYear: YEAR, expMonth: new Date().getUTCMonth() })), 400, ['card.expMonth']);
    });

    it.each([['12'], ['12345'], ['12a'], [123]])('refuses the cvc %j with 400 naming card.cvc', async (cvc) => {
      const user = await registerAndLogin(client);
      expectProblem(await pay(user, await placePayableOrder(scenario, user.id), validCard({ cvc })), 400, ['card.cvc']);
    });

    it('accepts a 4-digit cvc', async () => {
      const user = await registerAndLogin(client);
      expect((await pay(user, await placePayableOrder(scenario, user.id), validCard({ number: '378282246310005', cvc: '1234' }))).statusCode).toBe(201);
    });

    it('refuses an amount sent by the client (an unknown property) with 400 naming it', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      const response = await client.inject({
        method: 'POST',
        url: '/api/v1/payments',
        headers: { ...user.auth, 'idempotency-key': randomUUID() },
        payload: { orderId, card: validCard(), amountCents: 1 },
      });
      expectProblem(response, 400, ['amountCents']);
    });

    it('refuses an unknown property inside card with 400 naming it', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await pay(user, await placePayableOrder(scenario, user.id), validCard({ holder: 'A Person' })), 400, ['card.holder']);
    });

    it('refuses a missing card and a non-uuid orderId with 400 naming both', async () => {
      const user = await registerAndLogin(client);
      const response = await client.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...user.auth, 'idempotency-key': randomUUID() }, payload: { orderId: 'order-1' } });
      expectProblem(response, 400, ['orderId', 'card']);
    });

    it('names every missing card field', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await pay(user, await placePayableOrder(scenario, user.id), {}), 400, ['card.number', 'card.expMonth', 'card.expYear', 'card.cvc']);
    });

    it('refuses a body that is not JSON with 400 or 415, never 500', async () => {
      const user = await registerAndLogin(client);
      const response = await client.inject({
        method: 'POST',
        url: '/api/v1/payments',
        headers: { ...user.auth, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
        payload: '{"orderId": ',
      });
      expect([400, 415]).toContain(response.statusCode);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('who may pay', () => {
    it('answers 401 without a bearer token', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      const response = await client.inject({ method: 'POST', url: '/api/v1/payments', headers: { 'idempotency-key': randomUUID() }, payload: { orderId, card: validCard() } });
      expectProblem(response, 401);
    });

    it('answers 401 with a forged token', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      expectProblem(await pay({ auth: { authorization: `${user.auth.authorization}x` } }, orderId), 401);
    });

    it('answers 409 with retry-after, after waiting a bounded time, for an order the payments module has never heard of', async () => {
      const user = await registerAndLogin(client);
      // It cannot tell an order whose events are still on their way from no order at all.
      const startedAt = Date.now();
      const response = await pay(user, randomUUID());
      expectProblem(response, 409);
      expect(response.headers['retry-after']).toBe('1');
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(CATCH_UP_WAIT_MS);
    });

    it('answers 404 to a customer paying another customer’s order, and records nothing', async () => {
      const owner = await registerAndLogin(client);
      const other: TestUser = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, owner.id);
      expect(expectProblem(await pay(other, orderId), 404).detail).toBe('No such order');
      expect(await paymentRows(orderId)).toEqual([]);
      expect(await payableOrderStatus(app, orderId)).toBe('awaiting_payment');
    });

    it('answers 403 to an admin: only the order’s customer pays', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await pay({ auth: admin }, await placePayableOrder(scenario, user.id)), 403);
    });
  });

  describe('orders that are not awaiting payment', () => {
    it('answers 409 with retry-after while the order stays pending (stock not reserved within the wait), and charges nothing', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id, { reserve: false });
      const response = await pay(user, orderId);
      expectProblem(response, 409);
      expect(response.headers['retry-after']).toBe('1');
      expect(await paymentRows(orderId)).toEqual([]);
    });

    it('waits inside the request for the stock reservation that arrives meanwhile, then charges', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id, { reserve: false });
      const paying = pay(user, orderId);
      await scenario.publish(ProductsEvents.stockReserved, { orderId, lines: [{ productId: randomUUID(), quantity: 1 }]
      });
      expect((await paying).statusCode).toBe(201);
      expect(await paymentRows(orderId)).toEqual([{ status: 'succeeded', amount_cents: '2500' }]);
    });

    it('answers 409 once the order was cancelled', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      await scenario.publish(OrdersEvents.orderCancelled, { orderId, customerId: user.id, previousStatus: 'awaiting_payment'
      });
      await untilPayableOrder(app, orderId, 'cancelled');
      expectProblem(await pay(user, orderId), 409);
    });

    it('answers 409 when the order was rejected for lack of stock', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id, { reserve: false });
      await scenario.publish(ProductsEvents.stockRejected, {
        orderId,
        reason: 'insufficient_stock',
        lines: [{ productId: randomUUID(), requested: 2, available: 1 }],
      });
      await untilPayableOrder(app, orderId, 'rejected');
      expectProblem(await pay(user, orderId), 409);
    });

    it('answers 409 once the order is paid', async () => {
      const user = await registerAndLogin(client);
      const orderId = await placePayableOrder(scenario, user.id);
      expect((await pay(user, orderId)).statusCode).toBe(201);
      const response = expectProblem(await pay(user, orderId, validCard({ number: '5555555555554444' })), 409);
      expect(response.detail).toMatch(/already paid/);
    });
  });

  it('charges one order once when two payments with different keys race', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const responses = await Promise.all(Array.from({ length: 8 }, () => pay(user, orderId)));
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await paymentRows(orderId)).toEqual([{ status: 'succeeded', amount_cents: '2500' }]);
  });
});
