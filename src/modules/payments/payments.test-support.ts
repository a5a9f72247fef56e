// Helpers for the payments module's tests. Orders and products do not run: the tests play their
// part by publishing their events through the module test harness (as those modules would), the
// only way the payments module learns about orders. Test-only code: the production build leaves
// *.test-support.ts files out.
import { randomUUID } from 'node:crypto';
import { OrdersEvents } from '../orders/api.js';
import { ProductsEvents } from '../products/api.js';
import type { Scenario } from '../../../test/support/module-test.js';
import type { TestApp } from '../../../test/support/test-app.js';
import { query } from '../../../test/support/test-database.js';
import { waitFor } from '../../../test/support/wait-for.js';

/** The status of the payments module's copy of the order; undefined while it does not know the order. */
export async function payableOrderStatus(app: TestApp, orderId: string): Promise<string | undefined> {
  return (await query<{ status: string }>(app.databaseUrl, 'select status from payments.payable_orders where order_id = $1', [orderId]))[0]?.status;
}

/** Waits until the payments module's copy of the order has the given status. */
export async function untilPayableOrder(app: TestApp, orderId: string, status: string): Promise<void> {
  await waitFor(async () => (await payableOrderStatus(app, orderId)) === status, { what: `payable order ${orderId} ${status}` });
}

/** Publishes products.stock-reserved for the order and waits until it awaits payment. */
export async function reserveStock(scenario: Scenario, orderId: string): Promise<void> {
  await scenario.publish(ProductsEvents.stockReserved, { orderId, lines: [{ productId: randomUUID(), quantity: 1 }] });
  await untilPayableOrder(scenario.app, orderId, 'awaiting_payment');
}

/** An order as the payments module learns it: placed, and (unless told otherwise) reserved; resolves to its id. */
export async function placePayableOrder(
  scenario: Scenario,
  customerId: string,
  { totalCents = 2500, currency = 'USD', reserve = true }: { totalCents?: number; currency?: string; reserve?: boolean } = {},
): Promise<string> {
  const orderId = randomUUID();
  await scenario.publish(OrdersEvents.orderPlaced, {
    orderId,
    customerId,
    items: [{ productId: randomUUID(), quantity: 1, unitPriceCents: totalCents }],
    totalCents,
    currency,
  });
  await untilPayableOrder(scenario.app, orderId, 'pending');
  if (reserve) await reserveStock(scenario, orderId);
  return orderId;
}
