// The payments module against a gateway it is handed (as a real provider would be): what the
// gateway is asked, that it is asked once per idempotent request, and that a gateway that cannot
// answer leaves nothing behind, so the client can simply retry.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { payableOrderStatus, placePayableOrder } from '../payments.test-support.js';
import type { CardGateway, ChargeRequest, RefundRequest } from '../domain/card-gateway.js';
import { createSimulatedCardGateway } from '../domain/simulated-card-gateway.js';
import { createPaymentsModule } from '../module.js';

const YEAR = new Date().getUTCFullYear();
const validCard = { number: '4242424242424242', expMonth: 12, expYear: YEAR + 1, cvc: '123' };

/** The simulated gateway, recording each call, and made to fail on demand. */
function spyGateway() {
  const simulated = createSimulatedCardGateway();
  const spy = {
    charges: [] as ChargeRequest[],
    refunds: [] as RefundRequest[],
    down: false,
    /** How long a charge takes: a slow gateway keeps racing transactions open together. */
    delayMs: 0,
    async charge(request: ChargeRequest) {
      if (spy.down) throw new Error('connect ECONNREFUSED gateway.example:443');
      spy.charges.push(request);
      if (spy.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, spy.delayMs));
      return simulated.charge(request);
    },
    async refund(request: RefundRequest) {
      if (spy.down) throw new Error('connect ECONNREFUSED gateway.example:443');
      spy.refunds.push(request);
    },
  } satisfies CardGateway & Record<string, unknown>;
  return spy;
}

describe('the card gateway seam', () => {
  const gateway = spyGateway();
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest(createPaymentsModule({ gateway: () => gateway }), { alongside: ['users'] });
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());
  beforeEach(() => {
    gateway.charges.length = 0;
    gateway.refunds.length = 0;
    gateway.down = false;
    gateway.delayMs = 0;
  });

  const placeOrder = (customerId: string, totalCents = 2500) => placePayableOrder(scenario, customerId, { totalCents, currency: 'GBP' });
  const pay = (user: TestUser, orderId: string, key = randomUUID()) =>
    client.inject({ method: 'POST', url: '/api/v1/payments', headers: { ...user.auth, 'idempotency-key': key }, payload: { orderId, card: validCard } });
  const count = async (table: string, column: string, value: string) =>
    Number((await query<{ count: string }>(app.databaseUrl, `select count(*) from payments.${table} where ${column} = $1`, [value]))[0]!.count);

  it('asks the gateway for the order’s total under our payment id and a key stable for the client’s request', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placeOrder(user.id, 7777);
    const key = randomUUID();
    const payment = (await pay(user, orderId, key)).json();
    expect(gateway.charges).toEqual([
      { reference: payment.id, idempotencyKey: `${user.id}:${key}`, amountCents: 7777, currency: 'GBP', card: validCard },
    ]);
  });

  it('asks the gateway once for 20 concurrent requests with one key, and not at all for a later replay', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placeOrder(user.id);
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 20 }, () => pay(user, orderId, key)));
    expect(new Set(responses.map((response) => `${response.statusCode} ${response.body}`)).size).toBe(1);
    expect((await pay(user, orderId, key)).statusCode).toBe(201);
    expect(gateway.charges).toHaveLength(1);
  });

  it('charges an order once when payments with different keys race through a slow gateway', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placeOrder(user.id);
    gateway.delayMs = 200;
    const responses = await Promise.all(Array.from({ length: 6 }, () => pay(user, orderId)));
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(gateway.charges).toHaveLength(1);
    expect(await count('payments', 'order_id', orderId)).toBe(1);
  });

  it('answers 502 when the gateway cannot be reached, records nothing, and lets the same key succeed later', async () => {
    const user = await registerAndLogin(client);
    const orderId = await placeOrder(user.id);
    const key = randomUUID();
    gateway.down = true;
    const failed = expectProblem(await pay(user, orderId, key), 502);
    expect(JSON.stringify(failed)).not.toContain('ECONNREFUSED');
    expect(await count('payments', 'order_id', orderId)).toBe(0);
    expect(await count('idempotency_keys', 'customer_id', user.id)).toBe(0);
    expect(await payableOrderStatus(app, orderId)).toBe('awaiting_payment');

    gateway.down = false;
    const retried = await pay(user, orderId, key);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await count('payments', 'order_id', orderId)).toBe(1);
  });

  it('returns refunds through the gateway, under our refund id', async () => {
    const user = await registerAndLogin(client);
    const payment = (await pay(user, await placeOrder(user.id))).json();
    const refund = (await client.inject({ method: 'POST', url: `/api/v1/payments/${payment.id}/refunds`, headers: admin, payload: { amountCents: 400 } })).json();
    expect(gateway.refunds).toEqual([{ paymentReference: payment.id, reference: refund.id, amountCents: 400, currency: 'GBP' }]);
  });

  it('answers 502 when the gateway cannot refund, and records no refund', async () => {
    const user = await registerAndLogin(client);
    const payment = (await pay(user, await placeOrder(user.id))).json();
    gateway.down = true;
    expectProblem(await client.inject({ method: 'POST', url: `/api/v1/payments/${payment.id}/refunds`, headers: admin, payload: {} }), 502);
    expect(await count('refunds', 'payment_id', payment.id)).toBe(0);
    expect((await client.inject({ url: `/api/v1/payments/${payment.id}`, headers: admin })).json().status).toBe('succeeded');
  });
});
