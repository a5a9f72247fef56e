// The Idempotency-Key of POST /api/v1/payments: a retried request gets the first answer again and
// never a second charge, however many copies arrive at once; a different request under a used key
// is refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector } from '../../../../test/support/users.js';
import { payableOrderStatus, placePayableOrder, reserveStock } from '../payments.test-support.js';

const YEAR = new Date().getUTCFullYear();
const validCard = (overrides: Record<string, unknown> = {}) => ({ number: '4242424242424242', expMonth: 12, expYear: YEAR + 2, cvc: '123', ...overrides });

describe('idempotent payments', () => {
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => {
    scenario = await startModuleTest('payments', { alongside: ['users'] });
    ({ app, client } = scenario);
  });
  afterAll(() => scenario.close());

  const pay = (user: { auth: { authorization: string } }, key: string, payload: object) =>
    client.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...user.auth, 'idempotency-key': key }, payload });
  const paymentCount = async (orderId: string) =>
    Number((await query<{ count: string }>(app.databaseUrl, 'select count(*) from payments.payments where order_id = $1', [orderId]))[0]!.count);

  it('answers a retry with the same key and body with the first response, byte for byte, and charges once', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    const first = await pay(user, key, { orderId, card: validCard() });
    expect(first.statusCode).toBe(201);
    const again = await pay(user, key, { orderId, card: validCard() });
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await paymentCount(orderId)).toBe(1);
  });

  it('treats a body with the same content in another key order or with spaces trimmed as the same request', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    const first = await pay(user, key, { orderId, card: validCard() });
    const again = await pay(user, key, { card: { cvc: ' 123', expYear: YEAR + 2, expMonth: 12, number: '4242424242424242 ' }, orderId: orderId.toUpperCase() });
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
  });

  it('replays a declined attempt too, recording no second attempt', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    const declined = await pay(user, key, { orderId, card: validCard({ number: '4000000000000002' }) });
    expect(declined.json()).toMatchObject({ status: 'failed', failureReason: 'card_declined' });
    const again = await pay(user, key, { orderId, card: validCard({ number: '4000000000000002' }) });
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(declined.body);
    expect(await paymentCount(orderId)).toBe(1);
  });

  it('still replays the success after the order is paid (instead of answering 409)', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    const first = await pay(user, key, { orderId, card: validCard() });
    expect(await payableOrderStatus(app, orderId)).toBe('paid');
    expect((await pay(user, key, { orderId, card: validCard() })).body).toBe(first.body);
  });

  it.each([
    ['another card number', { card: validCard({ number: '5555555555554444' }) }],
    ['another cvc', { card: validCard({ cvc: '124' }) }],
    ['another expiry', { card: validCard({ expMonth: 11 }) }],
  ])('refuses the same key with %s with 422 and charges nothing more', async (_what, change) => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    expect((await pay(user, key, { orderId, card: validCard() })).statusCode).toBe(201);
    expectProblem(await pay(user, key, { orderId, ...change }), 422, ['headers.idempotency-key']);
    expect(await paymentCount(orderId)).toBe(1);
  });

  it('refuses the same key for another order with 422 and leaves that order unpaid', async () => {
    const user = await registerAndLogin(client);
    const [first, second] = [await placePayableOrder(scenario, user.id), await placePayableOrder(scenario, user.id)];
    const key = randomUUID();
    expect((await pay(user, key, { orderId: first, card: validCard() })).statusCode).toBe(201);
    expectProblem(await pay(user, key, { orderId: second, card: validCard() }), 422);
    expect(await paymentCount(second)).toBe(0);
    expect(await payableOrderStatus(app, second)).toBe('awaiting_payment');
  });

  it('keeps keys per customer: another customer’s request with the same key is a request of its own', async () => {
    const [alice, bob] = [await registerAndLogin(client), await registerAndLogin(client)];
    const [aliceOrder, bobOrder] = [await placePayableOrder(scenario, alice.id), await placePayableOrder(scenario, bob.id)];
    const key = `shared-${randomUUID()}`;
    const aliceResponse = await pay(alice, key, { orderId: aliceOrder, card: validCard() });
    const bobResponse = await pay(bob, key, { orderId: bobOrder, card: validCard() });
    expect(aliceResponse.statusCode).toBe(201);
    expect(bobResponse.statusCode).toBe(201);
    expect(bobResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(bobResponse.json()).toMatchObject({ orderId: bobOrder, customerId: bob.id });
  });

  it('does not keep a refusal: after a 409 (not payable yet) the same key works once the order becomes payable', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id, { reserve: false });
    const key = randomUUID();
    expectProblem(await pay(user, key, { orderId, card: validCard() }), 409);
    await reserveStock(scenario, orderId);
    const response = await pay(user, key, { orderId, card: validCard() });
    expect(response.statusCode).toBe(201);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
  });

  it('does not take the key for a request refused by validation', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    expectProblem(await pay(user, key, { orderId, card: validCard({ number: '4242424242424241' }) }), 400);
    expect((await pay(user, key, { orderId, card: validCard() })).statusCode).toBe(201);
  });

  it('charges exactly once when 20 requests with one key arrive together, and answers all 20 identically', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 20 }, () => pay(user, key, { orderId, card: validCard() })));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((response) => response.body)).size).toBe(1);
    expect(responses[0]!.json()).toMatchObject({ orderId, status: 'succeeded', amountCents: 2500 });
    expect(responses.filter((response) => response.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await paymentCount(orderId)).toBe(1);
    const keys = await query(app.databaseUrl, 'select response_status from payments.idempotency_keys where customer_id = $1 and key = $2', [user.id, key]);
    expect(keys).toEqual([{ response_status: 201 }]);
  });

  it('answers 20 concurrent declined attempts under one key with one recorded attempt', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placePayableOrder(scenario, user.id);
    const key = randomUUID();
    const payload = { orderId, card: validCard({ number: '4000000000009995' }) };
    const responses = await Promise.all(Array.from({ length: 20 }, () => pay(user, key, payload)));
    expect(new Set(responses.map((response) => `${response.statusCode} ${response.body}`)).size).toBe(1);
    expect(responses[0]!.json()).toMatchObject({ status: 'failed', failureReason: 'insufficient_funds' });
    expect(await paymentCount(orderId)).toBe(1);
  });
});
