// products.stock-reserved: every line is held for the order, so it can be paid for. The payment
// window opens in the same transaction: the expiry timer exists exactly when the status does.
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import type { PRODUCTS_EVENTS, StockReserved } from '../../products/index.js';
import { applyTransition } from './apply-transition.js';
import { EXPIRE_UNPAID_ORDER, type ExpireUnpaidOrderData } from './expire-unpaid-order.timer.js';

export const stockReserved: ModuleSubscription = {
  name: 'stock-reserved',
  // Checked against products' own names at compile time only: products reads orders events, so
  // importing its index at run time would make the two modules load each other.
  pattern: 'products.stock-reserved' satisfies (typeof PRODUCTS_EVENTS)['stockReserved'],
  handler: async (event, context) => {
    const { orderId } = event.data as StockReserved;
    const before = await applyTransition(context, orderId, { type: 'stock-reserved' });
    // Keyed by the order: an order enters awaiting_payment once, so it has one expiry at most.
    if (before) await context.schedule(EXPIRE_UNPAID_ORDER, { orderId: before.id } satisfies ExpireUnpaidOrderData, { id: before.id });
  },
};
