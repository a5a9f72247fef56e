// The products module's published language: the events it publishes and the contract it offers,
// with the schemas of the data that crosses them. Other modules import this file only; it imports
// nothing of the module's internals.
import { Type, type Static } from 'typebox';
import { defineEvent, type EventData } from '../../platform/events/event-definition.js';
import { defineContract } from '../../platform/remote/contract-definition.js';

const Id = Type.String({ format: 'uuid' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
// What the integer stock columns can hold.
const Units = Type.Integer({ minimum: 0, maximum: 2_147_483_647 });

// What other modules may know of a product, in its events and its contract alike.
const ProductFacts = {
  sku: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  priceCents: Type.Integer({ minimum: 1 }),
  currency: Currency,
};

const ProductChangedData = Type.Object({ productId: Id, ...ProductFacts });

export const ProductsEvents = {
  productCreated: defineEvent('products.product-created', ProductChangedData),
  productUpdated: defineEvent('products.product-updated', ProductChangedData),
  stockReserved: defineEvent(
    'products.stock-reserved',
    Type.Object({ orderId: Id, lines: Type.Array(Type.Object({ productId: Id, quantity: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }), { minItems: 1 }) }),
  ),
  stockRejected: defineEvent(
    'products.stock-rejected',
    Type.Object({
      orderId: Id,
      reason: Type.String({ minLength: 1 }),
      lines: Type.Array(Type.Object({ productId: Id, requested: Units, available: Units })),
    }),
  ),
} as const;

export type ProductChanged = EventData<typeof ProductsEvents.productCreated>;
export type StockReserved = EventData<typeof ProductsEvents.stockReserved>;
export type StockRejected = EventData<typeof ProductsEvents.stockRejected>;

const ProductSummarySchema = Type.Object({ id: Id, ...ProductFacts });
export type ProductSummary = Static<typeof ProductSummarySchema>;

/** What other modules may ask the products module. Shaped for a network: batched, plain data. */
export interface ProductsApi {
  /** The current catalog entries of the given products; unknown ids are simply absent. */
  getProducts(ids: readonly string[]): Promise<ProductSummary[]>;
}

// A bounded batch: an order names at most 50 products.
const ProductIds = Type.Array(Id, { maxItems: 100 });

/** The contract as other processes call it: how each method may be repeated, what it takes and answers. */
export const ProductsContract = defineContract<ProductsApi>('products', {
  getProducts: { idempotent: true, args: Type.Tuple([ProductIds]), returns: Type.Array(ProductSummarySchema) },
});
