// The status machine, every status against every trigger: the eight allowed moves and nothing else.
import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, transition, type OrderStatus, type OrderTrigger } from './order-status.js';

const TRIGGERS: OrderTrigger[] = [
  { type: 'stock-reserved' },
  { type: 'stock-rejected' },
  { type: 'payment-succeeded' },
  { type: 'payment-refunded', fullyRefunded: true },
  { type: 'payment-refunded', fullyRefunded: false },
  { type: 'cancel' },
  { type: 'payment-timeout' },
];

const ALLOWED: Array<[OrderStatus, OrderTrigger, OrderStatus]> = [
  ['pending', { type: 'stock-reserved' }, 'awaiting_payment'],
  ['pending', { type: 'stock-rejected' }, 'rejected'],
  ['awaiting_payment', { type: 'payment-succeeded' }, 'paid'],
  // The payment outran orders' own news of the reservation (payments saw it first).
  ['pending', { type: 'payment-succeeded' }, 'paid'],
  ['paid', { type: 'payment-refunded', fullyRefunded: true }, 'refunded'],
  ['pending', { type: 'cancel' }, 'cancelled'],
  ['awaiting_payment', { type: 'cancel' }, 'cancelled'],
  ['awaiting_payment', { type: 'payment-timeout' }, 'cancelled'],
];

const label = (trigger: OrderTrigger) => ('fullyRefunded' in trigger ? `${trigger.type} (fullyRefunded: ${trigger.fullyRefunded})` : trigger.type);

describe('order status machine', () => {
  it.each(ALLOWED.map(([from, trigger, to]) => [from, label(trigger), to, trigger] as const))('moves %s on %s to %s', (from, _label, to, trigger) => {
    expect(transition(from, trigger)).toEqual({ allowed: true, to });
  });

  const refused = ORDER_STATUSES.flatMap((from) =>
    TRIGGERS.filter((trigger) => !ALLOWED.some(([allowedFrom, allowedTrigger]) => allowedFrom === from && JSON.stringify(allowedTrigger) === JSON.stringify(trigger))).map(
      (trigger) => [from, label(trigger), trigger] as const,
    ),
  );

  it('refuses every other combination (34 of 42)', () => {
    expect(refused).toHaveLength(ORDER_STATUSES.length * TRIGGERS.length - ALLOWED.length);
  });

  it.each(refused)('refuses %s on %s, saying why', (from, _label, trigger) => {
    const result = transition(from, trigger);
    expect(result.allowed).toBe(false);
    expect(result).toEqual({ allowed: false, reason: expect.any(String) });
  });

  it('keeps a paid order paid on a partial refund', () => {
    expect(transition('paid', { type: 'payment-refunded', fullyRefunded: false })).toEqual({ allowed: false, reason: 'a partial refund leaves the order paid' });
  });

  it.each(['rejected', 'cancelled', 'refunded'] as const)('lets nothing move an order that is %s', (from) => {
    for (const trigger of TRIGGERS) expect(transition(from, trigger).allowed).toBe(false);
  });
});
