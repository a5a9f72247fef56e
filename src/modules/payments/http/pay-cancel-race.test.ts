// Paying and cancelling one order at the same moment, with every real module: orders may accept
// the cancel before it learns of the payment, and payments may take the money before it learns of
// the cancel. However the two interleave, a cancelled order must end with no money kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { registerAndLogin, startAppWithAdmin, type Injector, type TestUser } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { cancel, createProduct, orderStatus, pay, paymentsOfOrder, placeOrder, productStock, untilOrderStatus } from './real-modules.test-support.js';

const TRIALS = 25;
const STOCK = 5;

describe('paying and cancelling an order at once', () => {
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => ({ app, client, admin } = await startAppWithAdmin()));
  afterAll(() => app.close());

  it('never leaves a cancelled order charged: the payment is refunded, stock balanced, and a paid order has exactly one charge', { timeout: 50_000 }, async () => {
    const trials: Array<{ orderId: string; customer: TestUser; productId: string; paid: number; cancelled: number }> = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      // A customer per trial: orders caps how many unpaid orders one customer may have.
      const customer = await registerAndLogin(client);
      const product = await createProduct(client, admin, { stock: STOCK });
      const orderId = await placeOrder(client, customer, product.id);
      await untilOrderStatus(client, customer, orderId, 'awaiting_payment');
      const paying = pay(client, customer, orderId);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      const [payment, cancellation] = await Promise.all([paying, cancel(client, customer, orderId)]);
      expect([201, 409, 503], payment.body).toContain(payment.statusCode);
      expect([200, 409], cancellation.body).toContain(cancellation.statusCode);
      trials.push({ orderId, customer, productId: product.id, paid: payment.statusCode, cancelled: cancellation.statusCode });
    }

    for (const { orderId, customer, productId } of trials) {
      // Settled: the order is final, no money is kept for a cancelled order, nothing is held.
      const settled = await waitFor(
        async () => {
          const status = await orderStatus(client, customer, orderId);
          const payments = await paymentsOfOrder(client, customer, orderId);
          const stock = await productStock(client, productId);
          const charged = payments.filter((payment) => payment.status !== 'failed' && payment.status !== 'refunded');
          if (status === 'cancelled' && charged.length === 0 && stock.reserved === 0 && stock.stock === STOCK) return { status, payments };
          if (status === 'paid' && stock.reserved === 0 && stock.stock === STOCK - 1) return { status, payments };
          return null;
        },
        { timeoutMs: 20_000, what: `order ${orderId} to settle with no money kept for a cancel` },
      );
      if (settled.status === 'paid') expect(settled.payments.map((payment) => payment.status)).toEqual(['succeeded']);
      else expect(settled.payments.every((payment) => payment.status === 'refunded' || payment.status === 'failed')).toBe(true);
    }
    const both = trials.filter((trial) => trial.paid === 201 && trial.cancelled === 200).length;
    console.info(`pay-cancel race: ${both} of ${TRIALS} trials had both the payment and the cancel accepted`);
  });
});
