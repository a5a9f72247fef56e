// The orders module as the platform hosts it.
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { OrdersEvents } from './api.js';
import { expireUnpaidOrder } from './handlers/expire-unpaid-order.timer.js';
import { paymentRefunded } from './handlers/payment-refunded.handler.js';
import { paymentSucceeded } from './handlers/payment-succeeded.handler.js';
import { stockRejected } from './handlers/stock-rejected.handler.js';
import { stockReserved } from './handlers/stock-reserved.handler.js';
import { userRegistered } from './handlers/user-registered.handler.js';
import { userUpdated } from './handlers/user-updated.handler.js';
import { ordersRoutes } from './http/orders.routes.js';
import { readOrdersConfig, type OrdersConfig } from './orders-config.js';
import { createOrdersService } from './orders.service.js';

export const ordersModule: ModuleDefinition<never, OrdersConfig> = {
  name: 'orders',
  schema: 'orders',
  routePrefixes: ['/api/v1/orders'],
  publishes: Object.values(OrdersEvents),
  needs: ['products', 'users'],
  subscriptions: [stockReserved, stockRejected, paymentSucceeded, paymentRefunded, userRegistered, userUpdated],
  timers: [expireUnpaidOrder],
  config: readOrdersConfig,
  create(context) {
    return {
      routes: ordersRoutes(createOrdersService(context)),
    };
  },
};
