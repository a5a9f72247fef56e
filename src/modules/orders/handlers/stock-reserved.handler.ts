// products.stock-reserved: every line is held for the order, so it can be paid for.
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import type { PRODUCTS_EVENTS, StockReserved } from '../../products/index.js';
import { applyTransition } from './apply-transition.js';

export const stockReserved: ModuleSubscription = {
  name: 'stock-reserved',
  // Checked against products' own names at compile time only: products reads orders events, so
  // importing its index at run time would make the two modules load each other.
  pattern: 'products.stock-reserved' satisfies (typeof PRODUCTS_EVENTS)['stockReserved'],
  handler: async (event, context) => {
    const { orderId } = event.data as StockReserved;
    await applyTransition(context, orderId, { type: 'stock-reserved' });
  },
};
