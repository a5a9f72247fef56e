// Events the products module publishes. Consumers import these types from the module's index.ts.
export const PRODUCTS_EVENTS = {
  productCreated: 'products.product-created',
  productUpdated: 'products.product-updated',
  stockReserved: 'products.stock-reserved',
  stockRejected: 'products.stock-rejected',
} as const;

export interface ProductChanged {
  productId: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
}

export interface StockReserved {
  orderId: string;
  lines: Array<{ productId: string; quantity: number }>;
}

export interface StockRejected {
  orderId: string;
  reason: string;
  lines: Array<{ productId: string; requested: number; available: number }>;
}
