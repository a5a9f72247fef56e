// The products module as the platform hosts it.
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { ProductsContract, ProductsEvents, type ProductsApi } from './api.js';
import { releaseStockOnOrderCancelled } from './handlers/order-cancelled.handler.js';
import { commitStockOnOrderPaid } from './handlers/order-paid.handler.js';
import { reserveStockOnOrderPlaced } from './handlers/order-placed.handler.js';
import { restockOnPaymentRefunded } from './handlers/payment-refunded.handler.js';
import { productsRoutes } from './http/products.routes.js';
import { createProductsService } from './products.service.js';

export const productsModule: ModuleDefinition<ProductsApi> = {
  name: 'products',
  schema: 'products',
  routePrefixes: ['/api/v1/products'],
  publishes: Object.values(ProductsEvents),
  needs: [],
  contract: ProductsContract,
  subscriptions: [reserveStockOnOrderPlaced, releaseStockOnOrderCancelled, commitStockOnOrderPaid, restockOnPaymentRefunded],
  create(context) {
    const service = createProductsService(context);
    const api: ProductsApi = {
      getProducts: (ids) => service.summaries(ids),
    };
    return {
      api,
      routes: productsRoutes(service),
    };
  },
};
