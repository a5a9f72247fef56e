// The product summaries version 2 shows on every line, for a whole page of orders at once: one
// catalog call per hundred products (the contract's batch limit), not one per order. When the
// catalog cannot answer, the orders are still shown, their products null and marked degraded.
import type { Logger } from '../../../platform/logging/logger.js';
import { trackDegradation } from '../../../platform/remote/degradation.js';
import type { ProductsApi } from '../../products/api.js';
import { callContract } from '../contract-call.js';
import type { Order } from '../domain/order.js';
import type { ProductSummaryV2 } from './order-view.v2.js';

const BATCH = 100;

export interface LineProducts {
  byId: ReadonlyMap<string, ProductSummaryV2>;
  /** The catalog did not answer, or answered from stale data. */
  degraded: boolean;
}

export async function lineProducts(orders: readonly Order[], products: ProductsApi, logger: Logger): Promise<LineProducts> {
  const ids = [...new Set(orders.flatMap((order) => order.items.map((item) => item.productId)))];
  if (ids.length === 0) return { byId: new Map(), degraded: false };
  const batches = Array.from({ length: Math.ceil(ids.length / BATCH) }, (_, index) => ids.slice(index * BATCH, (index + 1) * BATCH));
  const { result, degraded: stale } = await trackDegradation(() =>
    Promise.all(batches.map((batch) => callContract('products', () => products.getProducts(batch), logger))),
  );
  const byId = new Map<string, ProductSummaryV2>();
  for (const outcome of result) {
    if (outcome.ok) for (const product of outcome.value) byId.set(product.id, { id: product.id, sku: product.sku, name: product.name });
  }
  return { byId, degraded: stale.includes('products') || result.some((outcome) => !outcome.ok) };
}
