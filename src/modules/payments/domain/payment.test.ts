// The payment view and the refund arithmetic.
import { describe, expect, it } from 'vitest';
import { refundableCents, statusAfterRefunds, toPaymentView, type Payment } from './payment.js';

const payment = (overrides: Partial<Payment> = {}): Payment => ({
  id: 'a0000000-0000-4000-8000-000000000001',
  orderId: 'a0000000-0000-4000-8000-000000000002',
  customerId: 'a0000000-0000-4000-8000-000000000003',
  amountCents: 2500,
  currency: 'USD',
  status: 'succeeded',
  failureReason: null,
  cardLast4: '4242',
  refundedCents: 0,
  createdAt: new Date('2030-01-02T03:04:05.678Z'),
  ...overrides,
});

describe('toPaymentView', () => {
  it('shows the contract fields only, without failureReason when there is none', () => {
    expect(toPaymentView(payment())).toEqual({
      id: 'a0000000-0000-4000-8000-000000000001',
      orderId: 'a0000000-0000-4000-8000-000000000002',
      customerId: 'a0000000-0000-4000-8000-000000000003',
      amountCents: 2500,
      currency: 'USD',
      status: 'succeeded',
      cardLast4: '4242',
      createdAt: '2030-01-02T03:04:05.678Z',
    });
  });

  it('includes failureReason on a failed payment', () => {
    expect(toPaymentView(payment({ status: 'failed', failureReason: 'card_declined' }))).toMatchObject({ status: 'failed', failureReason: 'card_declined' });
  });
});

describe('refunds', () => {
  it('leaves what was not yet refunded', () => expect(refundableCents(payment({ refundedCents: 1000 }))).toBe(1500));

  it('is partially refunded below the amount and refunded at it', () => {
    expect(statusAfterRefunds(payment(), 1)).toBe('partially_refunded');
    expect(statusAfterRefunds(payment(), 2499)).toBe('partially_refunded');
    expect(statusAfterRefunds(payment(), 2500)).toBe('refunded');
  });
});
