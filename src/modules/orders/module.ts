// The orders module as the platform hosts it.
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { ORDERS_EVENTS } from './events.js';

export const ordersModule: ModuleDefinition = {
  name: 'orders',
  schema: 'orders',
  routePrefixes: ['/api/v1/orders'],
  publishes: Object.values(ORDERS_EVENTS),
  needs: ['products', 'users'],
  create() {
    return { routes: async () => {} };
  },
};
