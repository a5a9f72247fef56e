// What other modules may ask the products module. Shaped for a network: batched, plain data.
import { Type } from 'typebox';
import type { ContractMethods } from '../../platform/remote/contract-methods.js';

export interface ProductSummary {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
}

export interface ProductsApi {
  /** The current catalog entries of the given products; unknown ids are simply absent. */
  getProducts(ids: readonly string[]): Promise<ProductSummary[]>;
}

// A bounded batch: an order names at most 50 products.
const ProductIds = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 });

/** The contract as served to other processes: how each method may be repeated, what it takes. */
export const productsContractMethods: ContractMethods<ProductsApi> = {
  getProducts: { idempotent: true, args: Type.Tuple([ProductIds]) },
};
