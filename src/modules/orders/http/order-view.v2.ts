// How version 2 of the API shows an order: the same order the service returns, with money as
// { amount, currency } objects and each line's product summary. A view only: nothing here reads
// or writes anything.
import type { Order } from '../domain/order.js';

export interface ProductSummaryV2 {
  id: string;
  sku: string;
  name: string;
}

/** What the v1 composition (compose-order.ts) answers: the v2 view of GET /orders/{id} is made from it. */
export interface ComposedOrder {
  id: string;
  customerId: string;
  status: Order['status'];
  items: Array<{ productId: string; quantity: number; unitPriceCents: number; product: ProductSummaryV2 | null }>;
  totalCents: number;
  currency: string;
  shippingAddress: Order['shippingAddress'];
  createdAt: string;
  updatedAt: string;
  customer?: { id: string; username: string } | null;
  degraded?: Array<'users' | 'products'>;
}

export const money = (amount: number, currency: string) => ({ amount, currency });

/** An order with the products its lines name (by id); `productsDegraded` when the catalog did not answer. */
export function toOrderV2(order: Order, products: ReadonlyMap<string, ProductSummaryV2>, productsDegraded: boolean) {
  return fromComposed({
    ...order,
    items: order.items.map((item) => ({ ...item, product: products.get(item.productId) ?? null })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    ...(productsDegraded ? { degraded: ['products' as const] } : {}),
  });
}

export function fromComposed(order: ComposedOrder) {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    items: order.items.map((item) => ({
      productId: item.productId,
      quantity: item.quantity,
      // Every line of an order is priced in the order's one currency (see priceLines).
      unitPrice: money(item.unitPriceCents, order.currency),
      product: item.product ? { id: item.product.id, sku: item.product.sku, name: item.product.name } : null,
    })),
    total: money(order.totalCents, order.currency),
    shippingAddress: order.shippingAddress,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    ...(order.customer !== undefined ? { customer: order.customer } : {}),
    ...(order.degraded !== undefined ? { degraded: order.degraded } : {}),
  };
}
