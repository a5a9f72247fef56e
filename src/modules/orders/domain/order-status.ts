// The order status machine. Events from products and payments (and the cancel call) drive it; the
// client never sets a status. Pure: callers load the order, ask here, and write what it allows.
export const ORDER_STATUSES = ['pending', 'awaiting_payment', 'paid', 'rejected', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderTrigger =
  | { type: 'stock-reserved' }
  | { type: 'stock-rejected' }
  | { type: 'payment-succeeded' }
  | { type: 'payment-refunded'; fullyRefunded: boolean }
  | { type: 'cancel' }
  // The payment window closed: only an order still waiting for its payment is cancelled.
  | { type: 'payment-timeout' };

export type Transition = { allowed: true; to: OrderStatus } | { allowed: false; reason: string };

const allow = (to: OrderStatus): Transition => ({ allowed: true, to });
const refuse = (from: OrderStatus, trigger: OrderTrigger): Transition => ({
  allowed: false,
  reason: `${trigger.type} does not apply to an order that is ${from}`,
});

/** Where `trigger` takes an order in status `from`, or why it may not. */
export function transition(from: OrderStatus, trigger: OrderTrigger): Transition {
  switch (trigger.type) {
    case 'stock-reserved':
      return from === 'pending' ? allow('awaiting_payment') : refuse(from, trigger);
    case 'stock-rejected':
      return from === 'pending' ? allow('rejected') : refuse(from, trigger);
    case 'payment-succeeded':
      // Payments charges only an order whose stock it saw reserved; orders may not have heard of
      // the reservation yet (its handler is waiting out a crashed worker). The money was taken
      // for held stock, so the order is paid; the late stock-reserved is then refused.
      return from === 'awaiting_payment' || from === 'pending' ? allow('paid') : refuse(from, trigger);
    case 'payment-refunded':
      if (from !== 'paid') return refuse(from, trigger);
      // A partial refund leaves the order paid; only the refund that completes it refunds it.
      return trigger.fullyRefunded ? allow('refunded') : { allowed: false, reason: 'a partial refund leaves the order paid' };
    case 'cancel':
      return from === 'pending' || from === 'awaiting_payment' ? allow('cancelled') : refuse(from, trigger);
    case 'payment-timeout':
      return from === 'awaiting_payment' ? allow('cancelled') : refuse(from, trigger);
  }
}
