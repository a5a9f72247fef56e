// POST /api/v1/payments/:id/refunds: an admin returns part or the rest of a payment, never more
// than was taken in total.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';
import { placePayableOrder } from '../payments.test-support.js';

const YEAR = new Date().getUTCFullYear();

describe('refunds', () => {
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('payments', { alongside: ['users'] });
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());

  /** A customer and a payment of an order of `totalCents`, with the given card. */
  async function paidOrder(totalCents = 2500, number = '4242424242424242') {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id, { totalCents });
    const response = await client.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: { ...user.auth, 'idempotency-key': randomUUID() },
      payload: { orderId, card: { number, expMonth: 12, expYear: YEAR + 1, cvc: '123' } },
    });
    expect(response.statusCode, response.body).toBe(201);
    return { user, payment: response.json() as { id: string; status: string } };
  }

  const refund = (paymentId: string, payload?: object, auth: { authorization: string } = admin) =>
    client.inject({ method: 'POST', url: `/api/v1/payments/${paymentId}/refunds`, headers: auth, ...(payload ? { payload } : {}) });
  const statusOf = async (paymentId: string) => (await client.inject({ url: `/api/v1/payments/${paymentId}`, headers: admin })).json().status;
  const refundRows = (paymentId: string) =>
    query<{ amount_cents: string }>(app.databaseUrl, 'select amount_cents from payments.refunds where payment_id = $1 order by created_at', [paymentId]);

  it('refunds part of a payment: 201 with the refund, and the payment becomes partially_refunded', async () => {
    const { payment } = await paidOrder();
    const response = await refund(payment.id, { amountCents: 1000 });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toEqual({ id: expect.stringMatching(UUID), paymentId: payment.id, amountCents: 1000, createdAt: expect.any(String) });
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
    expect(await statusOf(payment.id)).toBe('partially_refunded');
  });

  it('refunds the rest after a partial refund when no amount is given, and the payment becomes refunded', async () => {
    const { payment } = await paidOrder();
    expect((await refund(payment.id, { amountCents: 1000 })).statusCode).toBe(201);
    const rest = await refund(payment.id, {});
    expect(rest.statusCode).toBe(201);
    expect(rest.json().amountCents).toBe(1500);
    expect(await statusOf(payment.id)).toBe('refunded');
    expect(await refundRows(payment.id)).toEqual([{ amount_cents: '1000' }, { amount_cents: '1500' }]);
  });

  it('refunds everything when the request has no body at all', async () => {
    const { payment } = await paidOrder(1234);
    const response = await refund(payment.id);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().amountCents).toBe(1234);
    expect(await statusOf(payment.id)).toBe('refunded');
  });

  it('refunds exactly the whole amount when asked for it', async () => {
    const { payment } = await paidOrder();
    expect((await refund(payment.id, { amountCents: 2500 })).statusCode).toBe(201);
    expect(await statusOf(payment.id)).toBe('refunded');
  });

  it('refuses a refund above what is left with 422 naming amountCents, and changes nothing', async () => {
    const { payment } = await paidOrder();
    expect((await refund(payment.id, { amountCents: 2000 })).statusCode).toBe(201);
    const body = expectProblem(await refund(payment.id, { amountCents: 501 }), 422, ['amountCents']);
    expect(body.detail).toMatch(/500/);
    expect(await statusOf(payment.id)).toBe('partially_refunded');
    expect(await refundRows(payment.id)).toEqual([{ amount_cents: '2000' }]);
  });

  it('refuses a first refund above the amount with 422', async () => {
    const { payment } = await paidOrder();
    expectProblem(await refund(payment.id, { amountCents: 2501 }), 422, ['amountCents']);
    expect(await statusOf(payment.id)).toBe('succeeded');
  });

  it('refuses any refund of a fully refunded payment with 422', async () => {
    const { payment } = await paidOrder();
    expect((await refund(payment.id)).statusCode).toBe(201);
    expectProblem(await refund(payment.id), 422);
    expectProblem(await refund(payment.id, { amountCents: 1 }), 422);
    expect(await refundRows(payment.id)).toHaveLength(1);
  });

  it('refuses to refund a failed payment with 409', async () => {
    const { payment } = await paidOrder(2500, '4000000000000002');
    expect(payment.status).toBe('failed');
    expectProblem(await refund(payment.id, { amountCents: 100 }), 409);
    expect(await refundRows(payment.id)).toEqual([]);
  });

  it('never refunds more than the amount when refunds race', async () => {
    const { payment } = await paidOrder(2500);
    const responses = await Promise.all(Array.from({ length: 10 }, () => refund(payment.id, { amountCents: 1000 })));
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 201, 422, 422, 422, 422, 422, 422, 422, 422]);
    expect(await refundRows(payment.id)).toEqual([{ amount_cents: '1000' }, { amount_cents: '1000' }]);
    expect(await statusOf(payment.id)).toBe('partially_refunded');
  });

  it.each([[{ amountCents: 0 }], [{ amountCents: -5 }], [{ amountCents: 10.5 }], [{ amountCents: '100' }], [{ amountCents: null }]])(
    'refuses %j with 400 naming amountCents',
    async (payload) => {
      const { payment } = await paidOrder();
      expectProblem(await refund(payment.id, payload), 400, ['amountCents']);
    },
  );

  it('refuses an unknown property with 400 naming it', async () => {
    const { payment } = await paidOrder();
    expectProblem(await refund(payment.id, { amountCents: 100, reason: 'x' }), 400, ['reason']);
  });

  it('answers 403 to the payment’s own customer: refunds are for admins', async () => {
    const { user, payment } = await paidOrder();
    expectProblem(await refund(payment.id, { amountCents: 100 }, user.auth), 403);
    expect(await refundRows(payment.id)).toEqual([]);
  });

  it('answers 401 without a token', async () => {
    const { payment } = await paidOrder();
    expectProblem(await client.inject({ method: 'POST', url: `/api/v1/payments/${payment.id}/refunds`, payload: {} }), 401);
  });

  it('answers 404 for an unknown payment and 400 for an id that is not a uuid', async () => {
    expectProblem(await refund(randomUUID(), {}), 404);
    expectProblem(await refund('nope', {}), 400, ['params.id']);
  });
});
