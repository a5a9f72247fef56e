// products.stock-rejected: the order cannot be fulfilled, so it ends rejected.
import { on } from '../../../platform/modules/module-definition.js';
import { ProductsEvents } from '../../products/api.js';
import { applyTransition } from './apply-transition.js';

export const stockRejected = on(ProductsEvents.stockRejected, 'stock-rejected', async ({ data }, context) => {
  const before = await applyTransition(context, data.orderId, { type: 'stock-rejected' });
  if (before) context.logger.info({ orderId: data.orderId, reason: data.reason }, 'order rejected for lack of stock');
});
