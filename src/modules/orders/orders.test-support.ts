// Helpers for the orders module's tests: an in-memory catalog standing in for the products
// module, stand-ins that publish products and payments events as the tests tell them to, and
// orders placed through the API. Test-only code: the production build leaves *.test-support.ts
// files out.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { App } from '../../app.js';
import { ALL_MODULES } from '../../module-registry.js';
import type { EventData, EventDefinition } from '../../platform/events/event-definition.js';
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { PAYMENTS_PUBLISHES } from '../payments/api.js';
import { ProductsEvents, type ProductsApi, type ProductSummary } from '../products/api.js';
import type { Injector } from '../../../test/support/users.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

/** The products contract as an in-memory catalog that can be made to fail or to hang. */
export function fakeCatalog() {
  const products = new Map<string, ProductSummary>();
  const catalog = {
    mode: 'answering' as 'answering' | 'failing' | 'hanging',
    calls: 0,
    api: {
      getProducts: async (ids) => {
        catalog.calls += 1;
        if (catalog.mode === 'failing') throw new Error('products is down');
        if (catalog.mode === 'hanging') return new Promise<never>(() => {});
        return ids.flatMap((id) => products.get(id) ?? []);
      },
    } satisfies ProductsApi,
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

// Stand-ins for products and payments: same names, schemas and events, no behaviour of their own.
// Orders is tested against the event contract, not against whatever the real modules happen to do
// with the orders events (the real products module would reserve or reject stock by itself).
const standIn = (name: 'products' | 'payments', publishes: readonly EventDefinition[], api?: unknown): ModuleDefinition => ({
  name,
  schema: name,
  routePrefixes: [],
  publishes,
  needs: [],
  create: () => ({ api, routes: async () => {} }),
});

/**
 * startTestApp options hosting users and orders for real, stand-ins for products (answering
 * ProductsApi from `catalog`) and payments, and any fixture modules given.
 */
export function ordersTestModules(catalog: FakeCatalog, fixtures: ModuleDefinition[] = []) {
  const real = ALL_MODULES.filter((definition) => definition.name === 'users' || definition.name === 'orders');
  const standIns = [
    standIn('products', Object.values(ProductsEvents), catalog.api),
    standIn('payments', PAYMENTS_PUBLISHES),
  ];
  return {
    definitions: [...real, ...standIns, ...fixtures],
    hostedModules: ['users', 'products', 'orders', 'payments', ...fixtures.map((fixture) => fixture.name)],
  };
}

/** Publishes an event as its owning module would: stored in one transaction, then delivered. */
export async function publishAs<Definition extends EventDefinition>(app: App, source: 'products' | 'payments', event: Definition, data: EventData<Definition>): Promise<void> {
  await app.bus.transaction(source, (_tx, publish) => publish(event, data));
}
