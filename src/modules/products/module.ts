// The products module as the platform hosts it.
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import type { ProductsApi } from './contract.js';
import { PRODUCTS_EVENTS } from './events.js';

export const productsModule: ModuleDefinition<ProductsApi> = {
  name: 'products',
  schema: 'products',
  routePrefixes: ['/api/v1/products'],
  publishes: Object.values(PRODUCTS_EVENTS),
  needs: [],
  create() {
    return {
      api: { getProducts: async () => [] },
      routes: async () => {},
    };
  },
};
