// products: catalog and inventory; owns the `products` schema.
// Publishes products.product-created, product-updated, stock-reserved, stock-rejected.
// Offers ProductsApi (catalog entries by id). Subscribes to orders and payments events to reserve,
// commit, release and restock stock. Needs no other module's contract.
export { productsModule } from './module.js';
export type { ProductsApi, ProductSummary } from './contract.js';
export { PRODUCTS_EVENTS } from './events.js';
export type { ProductChanged, StockRejected, StockReserved } from './events.js';
