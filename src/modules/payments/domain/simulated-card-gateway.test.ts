// The simulated gateway answers from the card number, like a provider's test mode.
import { describe, expect, it } from 'vitest';
import type { ChargeRequest } from './card-gateway.js';
import { createSimulatedCardGateway, SIMULATED_CARDS } from './simulated-card-gateway.js';

const request = (number: string): ChargeRequest => ({
  reference: 'c0ffee00-0000-4000-8000-000000000000',
  idempotencyKey: 'customer:key-1',
  amountCents: 2500,
  currency: 'USD',
  card: { number, expMonth: 12, expYear: 2040, cvc: '123' },
});

describe('simulated card gateway', () => {
  const gateway = createSimulatedCardGateway();

  it('charges 4242424242424242 successfully', async () => {
    expect(await gateway.charge(request(SIMULATED_CARDS.succeeds))).toEqual({ outcome: 'succeeded' });
  });

  it('declines 4000000000000002 with card_declined', async () => {
    expect(await gateway.charge(request('4000000000000002'))).toEqual({ outcome: 'declined', reason: 'card_declined' });
  });

  it('declines 4000000000009995 with insufficient_funds', async () => {
    expect(await gateway.charge(request('4000000000009995'))).toEqual({ outcome: 'declined', reason: 'insufficient_funds' });
  });

  it('charges any other card number successfully', async () => {
    expect(await gateway.charge(request('5555555555554444'))).toEqual({ outcome: 'succeeded' });
  });

  it('refunds without error', async () => {
    await expect(gateway.refund({ paymentReference: 'p', reference: 'r', amountCents: 1, currency: 'USD' })).resolves.toBeUndefined();
  });
});
