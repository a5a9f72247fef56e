// The orders module as the platform hosts it.
import { deprecate } from '../../platform/http/deprecation.js';
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { ProductsContract } from '../products/api.js';
import { OrdersEvents } from './api.js';
import { expireUnpaidOrder } from './handlers/expire-unpaid-order.timer.js';
import { paymentRefunded } from './handlers/payment-refunded.handler.js';
import { paymentSucceeded } from './handlers/payment-succeeded.handler.js';
import { stockRejected } from './handlers/stock-rejected.handler.js';
import { stockReserved } from './handlers/stock-reserved.handler.js';
import { userRegistered } from './handlers/user-registered.handler.js';
import { userUpdated } from './handlers/user-updated.handler.js';
import { ORDERS_V1_DEPRECATION, ORDERS_V1_PREFIX, ORDERS_V2_PREFIX } from './http/api-versions.js';
import { ordersRoutes } from './http/orders.routes.js';
import { ordersV2Routes } from './http/orders.v2.routes.js';
import { readOrdersConfig, type OrdersConfig } from './orders-config.js';
import { createOrdersService } from './orders.service.js';

export const ordersModule: ModuleDefinition<never, OrdersConfig> = {
  name: 'orders',
  schema: 'orders',
  // Every version the module serves: a gateway forwards them all to wherever orders is hosted.
  routePrefixes: [ORDERS_V1_PREFIX, ORDERS_V2_PREFIX],
  publishes: Object.values(OrdersEvents),
  needs: ['products', 'users'],
  subscriptions: [stockReserved, stockRejected, paymentSucceeded, paymentRefunded, userRegistered, userUpdated],
  timers: [expireUnpaidOrder],
  config: readOrdersConfig,
  create(context) {
    const service = createOrdersService(context);
    // The same client the service holds (one per caller and provider): v2 names each line's product.
    const products = context.contract(ProductsContract);
    return {
      routes: async (server) => {
        // Before the v1 routes are registered: it marks them as they are added.
        deprecate(server, ORDERS_V1_DEPRECATION);
        await server.register(ordersRoutes(service));
        await server.register(ordersV2Routes(service, products, context.logger));
      },
    };
  },
};
