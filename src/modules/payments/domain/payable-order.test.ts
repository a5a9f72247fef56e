// How the facts events bring add up to the payments module's status of an order, in any order.
import { describe, expect, it } from 'vitest';
import { NO_FACTS, payableStatus, withFact, type PayableOrderFact } from './payable-order.js';

const placed: PayableOrderFact = { type: 'placed', customerId: '6f1c1c62-3b8e-4a43-9f43-2d1f8c1b0a01', totalCents: 2500, currency: 'USD' };
const reserved: PayableOrderFact = { type: 'stock', stock: 'reserved' };
const rejected: PayableOrderFact = { type: 'stock', stock: 'rejected' };
const cancelled: PayableOrderFact = { type: 'cancelled' };
const paid: PayableOrderFact = { type: 'paid' };

const statusAfter = (...facts: PayableOrderFact[]) => payableStatus(facts.reduce(withFact, NO_FACTS));

describe('payable order facts', () => {
  it.each([
    ['nothing yet', [], 'pending'],
    ['placed only', [placed], 'pending'],
    ['reserved only (order-placed still on its way)', [reserved], 'pending'],
    ['placed and reserved', [placed, reserved], 'awaiting_payment'],
    ['reserved, then placed', [reserved, placed], 'awaiting_payment'],
    ['rejected, then placed', [rejected, placed], 'rejected'],
    ['paid', [placed, reserved, paid], 'paid'],
    ['order-paid before stock-reserved arrived', [placed, paid], 'paid'],
    ['cancelled before anything else', [cancelled, placed, reserved], 'cancelled'],
    ['cancelled after it was paid', [placed, reserved, paid, cancelled], 'cancelled'],
  ] as const)('%s: %s', (_name, facts, status) => expect(statusAfter(...facts)).toBe(status));

  it('keeps the first order-placed facts and the first stock decision', () => {
    const facts = [placed, reserved, { ...placed, customerId: 'other', totalCents: 1 } as PayableOrderFact, rejected].reduce(withFact, NO_FACTS);
    expect(facts).toMatchObject({ customerId: placed.customerId, totalCents: 2500, stock: 'reserved' });
    expect(payableStatus(facts)).toBe('awaiting_payment');
  });
});
