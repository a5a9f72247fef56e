// What the orders module reads of payments events. Declared here rather than imported from
// payments' index.ts: payments already depends on orders (it reads orders events), and a type
// import back would make the two modules depend on each other (architecture-tests/module-cycles).
// Field names and meanings follow CONTRACT.md, "Events".
export const PAYMENT_SUCCEEDED = 'payments.payment-succeeded';
export const PAYMENT_REFUNDED = 'payments.payment-refunded';

export interface PaymentSucceededData {
  paymentId: string;
  orderId: string;
  amountCents: number;
  currency: string;
}

export interface PaymentRefundedData {
  paymentId: string;
  orderId: string;
  refundId: string;
  amountCents: number;
  fullyRefunded: boolean;
}
