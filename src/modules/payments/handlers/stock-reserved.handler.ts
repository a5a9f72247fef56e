// products.stock-reserved: the order's stock is held, so it can now be paid.
import { PRODUCTS_EVENTS, type StockReserved } from '../../products/index.js';
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { movePayableOrder } from './move-payable-order.js';

export const stockReservedSubscription: ModuleSubscription = {
  name: 'stock-reserved',
  pattern: PRODUCTS_EVENTS.stockReserved,
  handler: (event, context) => movePayableOrder(event, context, (event.data as StockReserved).orderId, 'awaiting_payment'),
};
