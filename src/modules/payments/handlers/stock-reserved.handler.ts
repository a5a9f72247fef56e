// products.stock-reserved: the order's stock is held, so it can be paid (once its total is known).
import { PRODUCTS_EVENTS, type StockReserved } from '../../products/index.js';
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

export const stockReservedSubscription: ModuleSubscription = {
  name: 'stock-reserved',
  pattern: PRODUCTS_EVENTS.stockReserved,
  handler: async (event, context) => {
    await addPayableOrderFact(event, context, (event.data as StockReserved).orderId, { type: 'stock', stock: 'reserved' });
  },
};
