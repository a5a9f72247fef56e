// Events the payments module publishes. Consumers import these types from the module's index.ts.
export const PAYMENTS_EVENTS = {
  paymentSucceeded: 'payments.payment-succeeded',
  paymentFailed: 'payments.payment-failed',
  paymentRefunded: 'payments.payment-refunded',
} as const;

export interface PaymentSucceeded {
  paymentId: string;
  orderId: string;
  amountCents: number;
  currency: string;
}

export interface PaymentFailed {
  paymentId: string;
  orderId: string;
  reason: string;
}

export interface PaymentRefunded {
  paymentId: string;
  orderId: string;
  refundId: string;
  amountCents: number;
  fullyRefunded: boolean;
}
