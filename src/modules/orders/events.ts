// Events the orders module publishes. Consumers import these types from the module's index.ts.
export const ORDERS_EVENTS = {
  orderPlaced: 'orders.order-placed',
  orderCancelled: 'orders.order-cancelled',
  orderPaid: 'orders.order-paid',
} as const;

export interface OrderPlaced {
  orderId: string;
  customerId: string;
  items: Array<{ productId: string; quantity: number; unitPriceCents: number }>;
  totalCents: number;
  currency: string;
}

export interface OrderCancelled {
  orderId: string;
  customerId: string;
  previousStatus: 'pending' | 'awaiting_payment';
  /**
   * `requested` by the customer (or an admin), or `payment_timeout` when the payment window
   * closed. Optional: events stored before it existed have none.
   */
  reason?: 'requested' | 'payment_timeout';
}

export interface OrderPaid {
  orderId: string;
  paymentId: string;
}
