// products.stock-reserved: every line is held for the order, so it can be paid for. The payment
// window opens in the same transaction: the expiry timer exists exactly when the status does.
import { on } from '../../../platform/modules/module-definition.js';
import { ProductsEvents } from '../../products/api.js';
import { applyTransition } from './apply-transition.js';
import { EXPIRE_UNPAID_ORDER, type ExpireUnpaidOrderData } from './expire-unpaid-order.timer.js';

export const stockReserved = on(ProductsEvents.stockReserved, 'stock-reserved', async ({ data }, context) => {
  const before = await applyTransition(context, data.orderId, { type: 'stock-reserved' });
  // Keyed by the order: an order enters awaiting_payment once, so it has one expiry at most.
  if (before) await context.schedule(EXPIRE_UNPAID_ORDER, { orderId: before.id } satisfies ExpireUnpaidOrderData, { id: before.id });
});
