// products.stock-rejected: the order could not get its stock and will never be payable.
import { on } from '../../../platform/modules/module-definition.js';
import { ProductsEvents } from '../../products/api.js';
import { addPayableOrderFact } from './add-payable-order-fact.js';

export const stockRejectedSubscription = on(ProductsEvents.stockRejected, 'stock-rejected', async (event, context) => {
  await addPayableOrderFact(event, context, event.data.orderId, { type: 'stock', stock: 'rejected' });
});
