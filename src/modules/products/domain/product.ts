// The product as the API shows it.
import type { ProductRow } from '../db/schema.js';

export function toProductView(product: ProductRow) {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    priceCents: product.priceCents,
    currency: product.currency,
    stock: product.stock,
    reserved: product.reserved,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
