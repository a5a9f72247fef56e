// orders: placing, listing, composing and cancelling orders; owns the `orders` schema. Its status
// machine is driven by products and payments events; users events keep its copy of customers'
// usernames. Needs ProductsApi and UsersApi. Its published language (events) is in api.ts, which is
// what other modules import; this file is the module's definition, for the composition root and
// the test harness.
export { ordersModule } from './module.js';
