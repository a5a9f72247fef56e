// orders: placing, listing, composing and cancelling orders; owns the `orders` schema.
// Publishes orders.order-placed, order-cancelled, order-paid. Its status machine is driven by
// products and payments events; users events keep its copy of customers' usernames.
// Needs ProductsApi (prices, composition) and UsersApi (composition).
export { ordersModule } from './module.js';
export { ORDERS_EVENTS } from './events.js';
export type { OrderCancelled, OrderPaid, OrderPlaced } from './events.js';
