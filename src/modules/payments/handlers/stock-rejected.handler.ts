// products.stock-rejected: the order could not get its stock and will never be payable.
import { PRODUCTS_EVENTS, type StockRejected } from '../../products/index.js';
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

export const stockRejectedSubscription: ModuleSubscription = {
  name: 'stock-rejected',
  pattern: PRODUCTS_EVENTS.stockRejected,
  handler: async (event, context) => {
    await addPayableOrderFact(event, context, (event.data as StockRejected).orderId, { type: 'stock', stock: 'rejected' });
  },
};
