// Helpers for the payments module's tests. Orders and products are not hosted: the tests play
// their part by publishing their events, the only way the payments module learns about orders.
// Test-only code: the production build leaves *.test-support.ts files out.
import { randomUUID } from 'node:crypto';
import type { App } from '../../app.js';
import { OrdersEvents } from '../orders/api.js';
import { ProductsEvents } from '../products/api.js';
import type { TestApp } from '../../../test/support/test-app.js';
import { query } from '../../../test/support/test-database.js';
import { publishUnchecked } from '../../../test/support/unchecked-events.js';
import { waitFor } from '../../../test/support/wait-for.js';

/** Publishes an orders or products event straight onto the queue, as its module would; resolves to the event id. */
export const publishUpstream = publishUnchecked;

/** The status of the payments module's copy of the order; undefined while it does not know the order. */
export async function payableOrderStatus(app: TestApp, orderId: string): Promise<string | undefined> {
  return (await query<{ status: string }>(app.databaseUrl, 'select status from payments.payable_orders where order_id = $1', [orderId]))[0]?.status;
}

/** Waits until the payments module's copy of the order has the given status. */
export async function untilPayableOrder(app: TestApp, orderId: string, status: string): Promise<void> {
  await waitFor(async () => (await payableOrderStatus(app, orderId)) === status, { what: `payable order ${orderId} ${status}` });
}

/** Publishes products.stock-reserved for the order and waits until it awaits payment. */
export async function reserveStock(app: TestApp, orderId: string): Promise<void> {
  await publishUpstream(app, ProductsEvents.stockReserved, { orderId, lines: [{ productId: randomUUID(), quantity: 1 }] });
  await untilPayableOrder(app, orderId, 'awaiting_payment');
}

/** An order as the payments module learns it: placed, and (unless told otherwise) reserved; resolves to its id. */
export async function placePayableOrder(
  app: TestApp,
  customerId: string,
  { totalCents = 2500, currency = 'USD', reserve = true }: { totalCents?: number; currency?: string; reserve?: boolean } = {},
): Promise<string> {
  const orderId = randomUUID();
  await publishUpstream(app, OrdersEvents.orderPlaced, {
    orderId,
    customerId,
    items: [{ productId: randomUUID(), quantity: 1, unitPriceCents: totalCents }],
    totalCents,
    currency,
  });
  await untilPayableOrder(app, orderId, 'pending');
  if (reserve) await reserveStock(app, orderId);
  return orderId;
}
