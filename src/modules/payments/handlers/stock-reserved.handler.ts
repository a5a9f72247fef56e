// products.stock-reserved: the order's stock is held, so it can be paid (once its total is known).
import { on } from '../../../platform/modules/module-definition.js';
import { ProductsEvents } from '../../products/api.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

export const stockReservedSubscription = on(ProductsEvents.stockReserved, 'stock-reserved', async (event, context) => {
  await addPayableOrderFact(event, context, event.data.orderId, { type: 'stock', stock: 'reserved' });
});
