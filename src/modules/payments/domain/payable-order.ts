// The payments module's own copy of each order: just enough to know what to charge and whether the
// order can be paid right now. It is fed by orders and products events, never by calling orders.
// Those events travel on different queues and may arrive in any order, so the copy keeps the
// facts each one brings and derives its status from them: no event has to wait for another.
export const PAYABLE_ORDER_STATUSES = ['pending', 'awaiting_payment', 'paid', 'rejected', 'cancelled'] as const;
export type PayableOrderStatus = (typeof PAYABLE_ORDER_STATUSES)[number];

/** What products decided about the order's stock; it decides once. */
export type StockFact = 'reserved' | 'rejected';

export interface PlacedFacts {
  customerId: string;
  totalCents: number;
  currency: string;
}

export interface PayableOrderFacts {
  /** From orders.order-placed; null until it arrived. */
  customerId: string | null;
  totalCents: number | null;
  currency: string | null;
  /** From products.stock-reserved or stock-rejected. */
  stock: StockFact | null;
  /** From orders.order-cancelled. */
  cancelled: boolean;
  /** From a charge of ours that succeeded, or from orders.order-paid. */
  paid: boolean;
}

export type PayableOrderFact =
  | ({ type: 'placed' } & PlacedFacts)
  | { type: 'stock'; stock: StockFact }
  | { type: 'cancelled' }
  | { type: 'paid' };

export const NO_FACTS: PayableOrderFacts = { customerId: null, totalCents: null, currency: null, stock: null, cancelled: false, paid: false };

/** The facts once `fact` is added. Facts only accumulate, and the first of a kind wins, so a redelivery changes nothing. */
export function withFact(facts: PayableOrderFacts, fact: PayableOrderFact): PayableOrderFacts {
  switch (fact.type) {
    case 'placed':
      if (facts.customerId !== null) return facts;
      return { ...facts, customerId: fact.customerId, totalCents: fact.totalCents, currency: fact.currency };
    case 'stock':
      return facts.stock === null ? { ...facts, stock: fact.stock } : facts;
    case 'cancelled':
      return { ...facts, cancelled: true };
    case 'paid':
      return { ...facts, paid: true };
  }
}

/**
 * The status the facts add up to. A cancellation outranks a payment: orders accepts a cancel only
 * before it learns of the payment, and then the money goes back (the order-cancelled handler).
 */
export function payableStatus(facts: PayableOrderFacts): PayableOrderStatus {
  if (facts.cancelled) return 'cancelled';
  if (facts.paid) return 'paid';
  if (facts.stock === 'rejected') return 'rejected';
  if (facts.stock === 'reserved' && facts.customerId !== null) return 'awaiting_payment';
  return 'pending';
}
