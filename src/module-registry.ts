// Every module of the application, hosted here or not: the one list of them. The configuration
// (the names MODULES and REMOTE_MODULES accept, each module's settings), the catalog of events, the
// database roles and the architecture tests all read it; drizzle-kit's schema filter, a static
// file, is checked against it by a test. `npm run new:module` adds its line.
import type { ModuleDefinition } from './platform/modules/module-definition.js';
import { ordersModule } from './modules/orders/index.js';
import { paymentsModule } from './modules/payments/index.js';
import { productsModule } from './modules/products/index.js';
import { usersModule } from './modules/users/index.js';

export const ALL_MODULES: readonly ModuleDefinition[] = [
  usersModule,
  productsModule,
  ordersModule,
  paymentsModule,
];
