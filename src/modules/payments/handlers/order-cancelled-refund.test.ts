// orders.order-cancelled for an order this module already charged: orders accepted the cancel
// before it learned of the payment, so the handler gives the money back, through the gateway and
// the same refund records an admin refund makes. A gateway that cannot answer fails the handler;
// the retry asks for the same refund again (the gateway deduplicates on its reference).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersEvents, type OrderCancelled } from '../../orders/api.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { dealtWith, parkedJobs } from '../../../../test/support/deliveries.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import type { CardGateway, RefundRequest } from '../domain/card-gateway.js';
import { createSimulatedCardGateway } from '../domain/simulated-card-gateway.js';
import { PaymentsEvents } from '../api.js';
import { createPaymentsModule } from '../module.js';
import { placePayableOrder, untilPayableOrder } from '../payments.test-support.js';

const SUBSCRIPTION = 'payments.order-cancelled';
const card = { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123' };

describe('a cancelled order that was already paid', () => {
  const simulated = createSimulatedCardGateway();
  const gateway = {
    refunds: [] as RefundRequest[],
    down: false,
    charge: simulated.charge,
    async refund(request: RefundRequest) {
      gateway.refunds.push(request);
      if (gateway.down) throw new Error('connect ECONNREFUSED gateway.example:443');
    },
  } satisfies CardGateway & Record<string, unknown>;
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest(createPaymentsModule({ gateway: () => gateway }), { alongside: ['users'] });
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());

  async function paidOrder(user: TestUser): Promise<{ orderId: string; paymentId: string }> {
    const orderId = await placePayableOrder(scenario, user.id);
    const response = await client.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...user.auth, 'idempotency-key': randomUUID() }, payload: { orderId, card } });
    expect(response.statusCode, response.body).toBe(201);
    return { orderId, paymentId: response.json().id };
  }
  const cancelled = (orderId: string, customerId: string): OrderCancelled => ({ orderId, customerId, previousStatus: 'awaiting_payment' });
  const listed = async (user: TestUser, orderId: string) =>
    (await client.inject({ url: `/api/v1/payments?orderId=${orderId}`, headers: user.auth })).json().items as Array<{ status: string }>;
  const refundRows = (paymentId: string) => query<{ id: string; amount_cents: string }>(app.databaseUrl, 'select id, amount_cents from payments.refunds where payment_id = $1', [paymentId]);

  it('refunds the payment in full and shows it refunded to the customer', async () => {
    const user = await registerAndLogin(client);
    const { orderId, paymentId } = await paidOrder(user);
    await scenario.publish(OrdersEvents.orderCancelled, cancelled(orderId, user.id));
    await untilPayableOrder(app, orderId, 'cancelled');
    await waitFor(async () => (await listed(user, orderId))[0]?.status === 'refunded', { what: 'the payment to be refunded' });
    expect(await refundRows(paymentId)).toEqual([{ id: expect.any(String), amount_cents: '2500' }]);
    expect(gateway.refunds.filter((request) => request.paymentReference === paymentId)).toEqual([
      { paymentReference: paymentId, reference: (await refundRows(paymentId))[0]!.id, amountCents: 2500, currency: 'USD' },
    ]);
  });

  it('refunds what an admin had not refunded yet', async () => {
    const user = await registerAndLogin(client);
    const { orderId, paymentId } = await paidOrder(user);
    expect((await client.inject({ method: 'POST', url: `/api/v1/payments/${paymentId}/refunds`, headers: admin, payload: { amountCents: 1000 } })).statusCode).toBe(201);
    await scenario.publish(OrdersEvents.orderCancelled, cancelled(orderId, user.id));
    await waitFor(async () => (await listed(user, orderId))[0]?.status === 'refunded', { what: 'the payment to be refunded' });
    expect((await refundRows(paymentId)).map((row) => row.amount_cents).sort()).toEqual(['1000', '1500']);
  });

  it('retries the refund with the same reference while the gateway cannot answer, and records it once', async () => {
    const user = await registerAndLogin(client);
    const { orderId, paymentId } = await paidOrder(user);
    gateway.down = true;
    const eventId = await scenario.publish(OrdersEvents.orderCancelled, cancelled(orderId, user.id));
    await waitFor(async () => gateway.refunds.filter((request) => request.paymentReference === paymentId).length >= 2, { what: 'the refund to be retried' });
    expect(await refundRows(paymentId)).toEqual([]);
    gateway.down = false;
    await waitFor(() => dealtWith(app.databaseUrl, SUBSCRIPTION, eventId), { what: 'the cancel to be handled' });
    // Parked when its batch's attempt failed, then applied by a retry: not dead-lettered.
    expect(await parkedJobs(app.databaseUrl, SUBSCRIPTION, eventId)).toEqual([{ name: SUBSCRIPTION, state: 'completed' }]);

    const references = new Set(gateway.refunds.filter((request) => request.paymentReference === paymentId).map((request) => request.reference));
    expect([...references]).toEqual([(await refundRows(paymentId))[0]!.id]);
    expect((await listed(user, orderId))[0]?.status).toBe('refunded');
    await scenario.published(PaymentsEvents.paymentRefunded, (data) => data.orderId === orderId);
  });
});
