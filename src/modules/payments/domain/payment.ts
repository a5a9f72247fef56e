// Payments and refunds as the API shows them, and the refund arithmetic (integer cents only).
export const PAYMENT_STATUSES = ['succeeded', 'failed', 'refunded', 'partially_refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Statuses in which money was taken and part of it may still be returned. */
export const REFUNDABLE_STATUSES: readonly PaymentStatus[] = ['succeeded', 'partially_refunded'];

export interface Payment {
  id: string;
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  failureReason: string | null;
  cardLast4: string;
  refundedCents: number;
  createdAt: Date;
}

export interface Refund {
  id: string;
  paymentId: string;
  amountCents: number;
  createdAt: Date;
}

export type PaymentView = ReturnType<typeof toPaymentView>;

/** What the API shows of a payment: the last four digits, never more; failureReason only on failures. */
export function toPaymentView(payment: Payment) {
  return {
    id: payment.id,
    orderId: payment.orderId,
    customerId: payment.customerId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    status: payment.status,
    ...(payment.failureReason !== null ? { failureReason: payment.failureReason } : {}),
    cardLast4: payment.cardLast4,
    createdAt: payment.createdAt.toISOString(),
  };
}

export function toRefundView(refund: Refund) {
  return { id: refund.id, paymentId: refund.paymentId, amountCents: refund.amountCents, createdAt: refund.createdAt.toISOString() };
}

/** What may still be refunded of a payment. */
export function refundableCents(payment: Pick<Payment, 'amountCents' | 'refundedCents'>): number {
  return payment.amountCents - payment.refundedCents;
}

/** The payment's status once `refundedCents` in total has been returned. */
export function statusAfterRefunds(payment: Pick<Payment, 'amountCents'>, refundedCents: number): PaymentStatus {
  return refundedCents >= payment.amountCents ? 'refunded' : 'partially_refunded';
}
