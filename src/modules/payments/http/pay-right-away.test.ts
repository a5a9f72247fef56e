// Paying an order as soon as the orders API shows it awaiting payment, with every real module:
// payments learns the order from orders and products events on queues of its own, which may lag
// behind orders or arrive in another order. The payment must go through all the same, never
// answering "no such order" or "not awaiting payment yet" for an order that awaits payment.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase } from '../../../platform/db/ensure-database.js';
import { runMigrations } from '../../../platform/db/migrate.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { registerAndLogin, startAppWithAdmin, type Injector } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { createProduct, orderStatus, pay, placeOrder } from './real-modules.test-support.js';

const ORDERS = 30;
const SERVER_URL = process.env.TEST_POSTGRES_SERVER_URL;

/** Places ORDERS orders at once and pays each the moment GET shows it awaiting payment; the answers to the payments. */
async function placeAndPayRightAway(client: Injector, admin: { authorization: string }) {
  const product = await createProduct(client, admin, { stock: ORDERS });
  // A customer per order: orders caps how many unpaid orders one customer may have.
  const customers = await Promise.all(Array.from({ length: ORDERS }, () => registerAndLogin(client)));
  return Promise.all(
    customers.map(async (customer) => {
      const orderId = await placeOrder(client, customer, product.id);
      await waitFor(async () => (await orderStatus(client, customer, orderId)) === 'awaiting_payment', { intervalMs: 5, what: `order ${orderId} awaiting payment` });
      const response = await pay(client, customer, orderId);
      return { orderId, status: response.statusCode, body: response.body };
    }),
  );
}

function expectAllPaid(answers: Array<{ status: number; body: string }>) {
  expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
}

describe('paying an order the moment it awaits payment', () => {
  describe('on the test run’s PostgreSQL', () => {
    let app: TestApp;
    let client: Injector;
    let admin: { authorization: string };
    beforeAll(async () => ({ app, client, admin } = await startAppWithAdmin()));
    afterAll(() => app.close());

    it(`charges all of ${ORDERS} orders placed at once and paid as soon as each shows awaiting_payment`, { timeout: 40_000 }, async () => {
      expectAllPaid(await placeAndPayRightAway(client, admin));
    });
  });

  // The lag between the queues was seen on a stand-alone server, where the timing differs from
  // the embedded one; TEST_POSTGRES_SERVER_URL names a role that may create databases and roles.
  describe.skipIf(!SERVER_URL)('on the PostgreSQL server of TEST_POSTGRES_SERVER_URL', () => {
    const name = `pay_right_away_${randomBytes(6).toString('hex')}`;
    let app: TestApp;
    let client: Injector;
    let admin: { authorization: string };
    beforeAll(async () => {
      const databaseUrl = await ensureDatabase(SERVER_URL!, name);
      await runMigrations(databaseUrl);
      ({ app, client, admin } = await startAppWithAdmin({ databaseUrl }));
    });
    afterAll(async () => {
      await app?.close();
      const sql = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
      try {
        await sql`drop database if exists ${sql(name)} with (force)`;
      } finally {
        await sql.end({ timeout: 5 });
      }
    });

    it(`charges all of ${ORDERS} orders placed at once and paid as soon as each shows awaiting_payment`, { timeout: 40_000 }, async () => {
      expectAllPaid(await placeAndPayRightAway(client, admin));
    });
  });
  if (!SERVER_URL) console.info('pay-right-away: TEST_POSTGRES_SERVER_URL is unset, so the case on a stand-alone PostgreSQL server is skipped');
});
