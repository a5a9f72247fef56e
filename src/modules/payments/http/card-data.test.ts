// Card data at rest and in logs: only the last four digits are ever kept. Neither the card number
// nor the cvc reaches a log line or a table of the payments module, whatever the outcome of the
// request (success, decline, validation failure, refusal, replay). Events carry exactly their
// contract's data (events.test.ts), which holds no card data.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { registerAndLogin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { placePayableOrder } from '../payments.test-support.js';

const YEAR = new Date().getUTCFullYear();
const CVC = '7319';
const NUMBERS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  failsLuhn: '4242424242424241',
  other: '5555555555554444',
};
const card = (number: string) => ({ number, expMonth: 12, expYear: YEAR + 1, cvc: CVC });

/** Every string and number anywhere inside a JSON value. */
function leaves(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).flatMap(leaves);
  return [String(value)];
}

describe('card data', () => {
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let user: TestUser;
  beforeAll(async () => {
    scenario = await startModuleTest('payments', { alongside: ['users'], captureLogs: true });
    ({ app, client } = scenario);
    user = await registerAndLogin(client);

    const pay = (requestId: string, orderId: string, number: string, key = randomUUID()) =>
      client.inject({
        method: 'POST',
        url: '/api/v1/payments',
        headers: { ...user.auth, 'idempotency-key': key, 'x-request-id': requestId },
        payload: { orderId, card: card(number) },
      });

    // One of every outcome, all with card data in the request.
    const orderId = await placePayableOrder(scenario, user.id);
    expect((await pay('card-declined', orderId, NUMBERS.declined)).statusCode).toBe(201);
    expect((await pay('card-insufficient', orderId, NUMBERS.insufficientFunds)).statusCode).toBe(201);
    expect((await pay('card-luhn', orderId, NUMBERS.failsLuhn)).statusCode).toBe(400);
    const key = randomUUID();
    expect((await pay('card-success', orderId, NUMBERS.succeeds, key)).statusCode).toBe(201);
    expect((await pay('card-replay', orderId, NUMBERS.succeeds, key)).statusCode).toBe(201);
    expect((await pay('card-other-body', orderId, NUMBERS.other, key)).statusCode).toBe(422);
    expect((await pay('card-paid', orderId, NUMBERS.other)).statusCode).toBe(409);
  });
  afterAll(() => scenario.close());

  it('logs the payment requests (so the checks below look at real log lines)', () => {
    for (const requestId of ['card-declined', 'card-luhn', 'card-success', 'card-replay', 'card-other-body', 'card-paid']) {
      expect(app.logs.some((line) => JSON.parse(line).reqId === requestId), requestId).toBe(true);
    }
    expect(app.logs.some((line) => JSON.parse(line).msg === 'card charge recorded')).toBe(true);
  });

  it('never logs a card number or the cvc', () => {
    const text = app.logs.join('\n');
    for (const number of Object.values(NUMBERS)) expect(text).not.toContain(number);
    const values = app.logs.flatMap((line) => leaves(JSON.parse(line)));
    expect(values.filter((value) => value === CVC || value.includes(`"${CVC}"`))).toEqual([]);
  });

  it('stores only the last four digits in payments, and no card number or cvc in any payments table', async () => {
    const payments = await query<{ card_last4: string }>(app.databaseUrl, 'select card_last4 from payments.payments where customer_id = $1 order by created_at', [user.id]);
    expect(payments.map((payment) => payment.card_last4)).toEqual(['0002', '9995', '4242']);
    const tables = await query<{ table_name: string }>(app.databaseUrl, `select table_name from information_schema.tables where table_schema = 'payments'`);
    expect(tables.length).toBeGreaterThanOrEqual(5);
    for (const { table_name: table } of tables) {
      const rows = await query<{ row: string }>(app.databaseUrl, `select row_to_json(t)::text as row from payments.${table} t`);
      for (const { row } of rows) {
        for (const number of Object.values(NUMBERS)) expect(row, `payments.${table}`).not.toContain(number);
        expect(leaves(JSON.parse(row)), `payments.${table}`).not.toContain(CVC);
      }
    }
  });

  it('keeps the idempotency fingerprint as a one-way hash, not the request', async () => {
    const rows = await query<{ request_hash: string }>(app.databaseUrl, 'select request_hash from payments.idempotency_keys where customer_id = $1', [user.id]);
    expect(rows.length).toBeGreaterThan(0);
    for (const { request_hash: hash } of rows) expect(hash).toMatch(/^scrypt:[A-Za-z0-9_-]{43}$/);
  });
});
