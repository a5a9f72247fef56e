// The seam to whoever moves the money. The simulated gateway implements it today; a real provider
// (Stripe, Adyen, …) would implement the same interface and be handed to createPaymentsModule.
import type { Card } from './card.js';

export type DeclineReason = 'card_declined' | 'insufficient_funds' | (string & {});

export interface ChargeRequest {
  /** Our payment id: the provider's reference for reconciliation. */
  reference: string;
  /**
   * Stable for one client request: a provider that deduplicates on it never charges twice,
   * even when our transaction rolls back after the charge and the client retries.
   */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  card: Card;
}

export type ChargeResult = { outcome: 'succeeded' } | { outcome: 'declined'; reason: DeclineReason };

export interface RefundRequest {
  /** The payment (our id, the charge's reference) to return money from. */
  paymentReference: string;
  /** Our refund id: also what a provider deduplicates the refund on. */
  reference: string;
  amountCents: number;
  currency: string;
}

export interface CardGateway {
  /**
   * Charges the card. A decline is a normal answer; throwing means the gateway could not be
   * asked (network, outage) and nothing is known to have been charged.
   */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Returns money from an earlier successful charge; throws when the gateway cannot be asked. */
  refund(request: RefundRequest): Promise<void>;
}
