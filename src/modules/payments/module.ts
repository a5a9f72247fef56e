// The payments module as the platform hosts it.
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { PAYMENTS_EVENTS } from './events.js';

export const paymentsModule: ModuleDefinition = {
  name: 'payments',
  schema: 'payments',
  routePrefixes: ['/api/v1/payments'],
  publishes: Object.values(PAYMENTS_EVENTS),
  needs: [],
  create() {
    return { routes: async () => {} };
  },
};
