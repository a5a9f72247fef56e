// products: catalog and inventory; owns the `products` schema. Subscribes to orders and payments
// events to reserve, commit, release and restock stock. Its published language (events and the
// ProductsApi contract) is in api.ts, which is what other modules import; this file is the
// module's definition, for the composition root and the test harness.
export { productsModule } from './module.js';
