// products.stock-rejected: the order cannot be fulfilled, so it ends rejected.
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import type { PRODUCTS_EVENTS, StockRejected } from '../../products/index.js';
import { applyTransition } from './apply-transition.js';

export const stockRejected: ModuleSubscription = {
  name: 'stock-rejected',
  // Checked against products' own names at compile time only: products reads orders events, so
  // importing its index at run time would make the two modules load each other.
  pattern: 'products.stock-rejected' satisfies (typeof PRODUCTS_EVENTS)['stockRejected'],
  handler: async (event, context) => {
    const { orderId, reason } = event.data as StockRejected;
    const before = await applyTransition(context, orderId, { type: 'stock-rejected' });
    if (before) context.logger.info({ orderId, reason }, 'order rejected for lack of stock');
  },
};
