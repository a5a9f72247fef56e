// The payments module publishes payments.payment-succeeded, payment-failed and payment-refunded,
// and a subscriber in another module receives each once with exactly the contract's data. The
// subscriber is the harness's probe module, with its own schema and inbox (test/support/probe-module.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { dealtWith, parkedJobs } from '../../../../test/support/deliveries.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';
import { placePayableOrder } from '../payments.test-support.js';

const YEAR = new Date().getUTCFullYear();
const validCard = (number = '4242424242424242') => ({ number, expMonth: 12, expYear: YEAR + 1, cvc: '123' });

describe('payments events', () => {
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('payments', { alongside: ['users'] });
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const received = () => scenario.probe.received;

  const pay = (user: TestUser, orderId: string, number?: string, key = randomUUID()) =>
    client.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...user.auth, 'idempotency-key': key }, payload: { orderId, card: validCard(number) } });

  const eventsOf = (type: string, orderId: string) =>
    received().filter((event) => event.type === type && (event.data as { orderId?: string }).orderId === orderId);
  const eventually = (type: string, orderId: string, count = 1) =>
    scenario.eventually(async () => eventsOf(type, orderId).length >= count && eventsOf(type, orderId), { what: `${count} × ${type} for order ${orderId}` });

  it('publishes payments.payment-succeeded v2 with paymentId, orderId and the amount as one money value when a charge succeeds', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id, { totalCents: 4321, currency: 'EUR' });
    const payment = (await pay(user, orderId)).json();
    const [event] = await eventually('payments.payment-succeeded', orderId);
    expect(event).toEqual({
      id: expect.stringMatching(UUID),
      type: 'payments.payment-succeeded',
      version: 2,
      occurredAt: expect.any(String),
      source: 'payments',
      data: { paymentId: payment.id, orderId, amount: { cents: 4321, currency: 'EUR' } },
    });
    expect(new Date(event!.occurredAt).toISOString()).toBe(event!.occurredAt);
  });

  it.each([
    ['4000000000000002', 'card_declined'],
    ['4000000000009995', 'insufficient_funds'],
  ])('publishes payments.payment-failed with paymentId, orderId and reason when %s is declined', async (number, reason) => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const payment = (await pay(user, orderId, number)).json();
    const [event] = await eventually('payments.payment-failed', orderId);
    expect(event).toMatchObject({ type: 'payments.payment-failed', version: 1, source: 'payments' });
    expect(event!.data).toEqual({ paymentId: payment.id, orderId, reason });
    expect(eventsOf('payments.payment-succeeded', orderId)).toEqual([]);
  });

  it('publishes payments.payment-refunded for each refund, fullyRefunded only on the one that returns the rest', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const payment = (await pay(user, orderId)).json();
    const partial = (await client.inject({ method: 'POST', url: `/api/v1/payments/${payment.id}/refunds`, headers: admin, payload: { amountCents: 1000 } })).json();
    const rest = (await client.inject({ method: 'POST', url: `/api/v1/payments/${payment.id}/refunds`, headers: admin, payload: {} })).json();
    const events = await eventually('payments.payment-refunded', orderId, 2);
    expect(events.map((event) => event.data)).toEqual([
      { paymentId: payment.id, orderId, refundId: partial.id, amountCents: 1000, fullyRefunded: false },
      { paymentId: payment.id, orderId, refundId: rest.id, amountCents: 1500, fullyRefunded: true },
    ]);
    expect(events.every((event) => event.source === 'payments' && event.version === 1)).toBe(true);
  });

  it('delivers each event to the subscriber once, applied in its batch as its checkpoint passes it', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    await pay(user, orderId);
    const [event] = await eventually('payments.payment-succeeded', orderId);
    const subscription = scenario.probe.queueOf('payments');
    expect(subscription).toBe('probe.payments-events');
    await scenario.eventually(() => dealtWith(app.databaseUrl, subscription, event!.id), { what: `payments.payment-succeeded dealt with by ${subscription}` });
    // Never parked, so never delivered a second time by a retry.
    expect(await parkedJobs(app.databaseUrl, subscription, event!.id)).toEqual([]);
    expect(received().filter((seen) => seen.id === event!.id)).toHaveLength(1);
  });

  it('publishes nothing for a replayed request, a refused payment or a refused refund', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    const payment = (await pay(user, orderId, undefined, key)).json();
    await eventually('payments.payment-succeeded', orderId);
    expect((await pay(user, orderId, undefined, key)).statusCode).toBe(201); // replay
    expectProblem(await pay(user, orderId), 409); // already paid
    expectProblem(await pay(user, orderId, '5555555555554444', key), 422); // key reused
    expectProblem(await client.inject({ method: 'POST', url: `/api/v1/payments/${payment.id}/refunds`, headers: admin, payload: { amountCents: 9999 } }), 422);
    // Events are delivered in the order they were stored: once a later marker arrives, an event of
    // the refused requests would have arrived before it.
    const marker = await placePayableOrder(scenario, user.id);
    await pay(user, marker);
    await eventually('payments.payment-succeeded', marker);
    expect(received().filter((event) => (event.data as { orderId?: string }).orderId === orderId).map((event) => event.type)).toEqual([
      'payments.payment-succeeded',
    ]);
  });
});
