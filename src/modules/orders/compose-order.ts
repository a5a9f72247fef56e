// GET /orders/:id shows the order with its customer's username and each line's product. Those
// belong to the users and products modules: both are asked at once, and when one cannot answer
// the order is still shown, with that part null and the module named in `degraded`.
import type { Db } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logging/logger.js';
import { trackDegradation } from '../../platform/remote/degradation.js';
import type { ProductsApi } from '../products/api.js';
import type { UsersApi } from '../users/api.js';
import { callContract } from './contract-call.js';
import { findCustomer } from './db/orders.repository.js';
import { toOrderView, type Order } from './domain/order.js';

export type ComposedPart = 'users' | 'products';

export interface CompositionSources {
  db: Db;
  products: ProductsApi;
  users: UsersApi;
  logger: Logger;
}

export async function composeOrder(order: Order, sources: CompositionSources) {
  const { db, products, users, logger } = sources;
  // A remote contract that serves its last good answer (its module being down) reports it here.
  const { result: [profiles, catalog], degraded: stale } = await trackDegradation(() =>
    Promise.all([
      callContract('users', () => users.getPublicProfiles([order.customerId]), logger),
      callContract('products', () => products.getProducts(order.items.map((item) => item.productId)), logger),
    ]),
  );
  const degraded: ComposedPart[] = stale.filter((module): module is ComposedPart => module === 'users' || module === 'products');

  let customer: { id: string; username: string } | null = null;
  if (profiles.ok) {
    const profile = profiles.value.find((candidate) => candidate.id === order.customerId);
    if (profile) customer = { id: profile.id, username: profile.username };
  } else {
    // The module's own copy of the username (fed by users events) stands in; the answer still
    // says users was unavailable, since the copy may lag behind a rename.
    if (!degraded.includes('users')) degraded.push('users');
    customer = await findCustomer(db, order.customerId);
  }

  if (!catalog.ok && !degraded.includes('products')) degraded.push('products');
  const productsById = new Map(catalog.ok ? catalog.value.map((product) => [product.id, product]) : []);
  const view = toOrderView(order);
  return {
    ...view,
    items: view.items.map((item) => {
      const product = productsById.get(item.productId);
      return { ...item, product: product ? { id: product.id, sku: product.sku, name: product.name } : null };
    }),
    customer,
    // Absent, not empty, when every module answered: its presence alone means "degraded".
    ...(degraded.length > 0 ? { degraded } : {}),
  };
}
