// A gateway that charges nothing and answers from the card number, like providers' test modes.
import type { CardGateway, ChargeResult, DeclineReason } from './card-gateway.js';

/** Card numbers with a fixed answer; every other (Luhn-valid) number succeeds. */
export const SIMULATED_CARDS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
} as const;

const DECLINES: Record<string, DeclineReason> = {
  [SIMULATED_CARDS.declined]: 'card_declined',
  [SIMULATED_CARDS.insufficientFunds]: 'insufficient_funds',
};

export function createSimulatedCardGateway(): CardGateway {
  return {
    async charge({ card }): Promise<ChargeResult> {
      const reason = DECLINES[card.number];
      return reason ? { outcome: 'declined', reason } : { outcome: 'succeeded' };
    },
    async refund() {
      // Nothing was taken, so there is nothing to return.
    },
  };
}
