// Helpers for the orders module's tests: an in-memory catalog standing in for the products
// contract, and orders placed through the API. The app itself is started by the module test
// harness (test/support/module-test.ts). Test-only code: the production build leaves
// *.test-support.ts files out.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ProductsContract, type ProductSummary } from '../products/api.js';
import { standIn } from '../../../test/support/stand-in.js';
import type { Injector } from '../../../test/support/users.js';

export const shippingAddress = (overrides: Record<string, unknown> = {}) => ({
  street: '1 Main Street',
  city: 'Springfield',
  zipCode: '12345',
  country: 'US',
  ...overrides,
});

/** Places an order of these lines as `customer` through the API; fails the test on anything but 201. */
export async function placeOrderAs<Order = { id: string }>(
  client: Injector,
  customer: { auth: { authorization: string } },
  items: Array<{ productId: string; quantity: number }>,
): Promise<Order> {
  const response = await client.inject({ method: 'POST', url: '/api/v1/orders', headers: customer.auth, payload: { items, shippingAddress: shippingAddress() } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export type FakeCatalog = ReturnType<typeof fakeCatalog>;

/** The products contract as an in-memory catalog that can be made to fail or to hang; `standIn` hands it to the module test. */
export function fakeCatalog() {
  const products = new Map<string, ProductSummary>();
  const catalog = {
    mode: 'answering' as 'answering' | 'failing' | 'hanging',
    calls: 0,
    standIn: standIn(ProductsContract, {
      getProducts: async (ids) => {
        catalog.calls += 1;
        if (catalog.mode === 'failing') throw new Error('products is down');
        if (catalog.mode === 'hanging') return new Promise<never>(() => {});
        return ids.flatMap((id) => products.get(id) ?? []);
      },
    }),
    add(overrides: Partial<ProductSummary> = {}): ProductSummary {
      const id = overrides.id ?? randomUUID();
      const product = { id, sku: `SKU-${id.slice(0, 8)}`, name: `Product ${id.slice(0, 8)}`, priceCents: 1250, currency: 'USD', ...overrides };
      products.set(id, product);
      return product;
    },
    remove(id: string): void {
      products.delete(id);
    },
  };
  return catalog;
}
