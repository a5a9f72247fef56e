// The products module's catalog use cases. HTTP-free: routes translate requests into these calls.
import { uniqueViolation } from '../../platform/db/errors.js';
import { problem } from '../../platform/http/problem.js';
import type { SortKey } from '../../platform/http/pagination.js';
import { isUuid } from '../../platform/http/uuid.js';
import type { ModuleContext } from '../../platform/modules/module-definition.js';
import type { ProductSummary } from './api.js';
import {
  findProductById,
  findProductSummaries,
  insertProduct,
  listProducts,
  updateProduct,
  type NewProduct,
  type ProductChanges,
} from './db/products.repository.js';
import type { ProductRow } from './db/schema.js';
import { ProductsEvents, type ProductChanged } from './api.js';

export type ProductsService = ReturnType<typeof createProductsService>;

const changedEvent = (product: ProductRow): ProductChanged => ({
  productId: product.id,
  sku: product.sku,
  name: product.name,
  priceCents: product.priceCents,
  currency: product.currency,
});

export function createProductsService(context: ModuleContext) {
  const { db, transaction } = context;

  async function create(input: NewProduct): Promise<ProductRow> {
    try {
      return await transaction(async (tx, publish) => {
        const product = await insertProduct(tx, input);
        await publish(ProductsEvents.productCreated, changedEvent(product));
        return product;
      });
    } catch (error) {
      if (uniqueViolation(error) !== null) throw problem.conflict(`A product with the sku "${input.sku}" already exists`);
      throw error;
    }
  }

  async function get(id: string): Promise<ProductRow> {
    const product = await findProductById(db, id);
    if (!product) throw problem.notFound('No such product');
    return product;
  }

  async function list(q: string | null, limit: number, after: SortKey | null): Promise<ProductRow[]> {
    return listProducts(db, { q, limit, after });
  }

  async function update(id: string, changes: ProductChanges): Promise<ProductRow> {
    return transaction(async (tx, publish) => {
      const product = await updateProduct(tx, id, changes);
      if (!product) {
        // The guarded update matched nothing: tell an unknown product from a stock set too low.
        const current = await findProductById(tx, id);
        if (!current) throw problem.notFound('No such product');
        throw problem.conflict(`The stock cannot go below the ${current.reserved} units reserved for orders`);
      }
      await publish(ProductsEvents.productUpdated, changedEvent(product));
      return product;
    });
  }

  /** ProductsApi.getProducts: ids that are not UUIDs cannot name a product, so they are simply absent. */
  async function summaries(ids: readonly string[]): Promise<ProductSummary[]> {
    const wanted = [...new Set(ids.filter((id) => typeof id === 'string' && isUuid(id)).map((id) => id.toLowerCase()))];
    return findProductSummaries(db, wanted);
  }

  return { create, get, list, update, summaries };
}
