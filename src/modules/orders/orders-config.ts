// The orders module's settings: how long an order may await payment, and how many open orders a
// customer may hold.
import type { EnvReader } from '../../platform/config/env-reader.js';

export interface OrdersConfig {
  /** An order still awaiting payment after this is cancelled by the system. */
  paymentTimeoutSeconds: number;
  /** Orders a customer may hold in pending or awaiting_payment; 0 for no limit. */
  maxOpenOrdersPerCustomer: number;
}

export function readOrdersConfig(env: EnvReader): OrdersConfig {
  return {
    paymentTimeoutSeconds: env.integer('ORDER_PAYMENT_TIMEOUT_SECONDS', 900, 1, 30 * 86_400),
    maxOpenOrdersPerCustomer: env.integer('MAX_OPEN_ORDERS_PER_CUSTOMER', 5, 0, 10_000),
  };
}
