// Which status events move the payments module's copy of an order.
import { describe, expect, it } from 'vitest';
import { replicaMove } from './payable-order.js';

describe('replicaMove', () => {
  it.each([
    ['pending', 'awaiting_payment'],
    ['pending', 'rejected'],
    ['pending', 'cancelled'],
    ['awaiting_payment', 'cancelled'],
    ['awaiting_payment', 'paid'],
  ] as const)('moves %s to %s', (from, to) => expect(replicaMove(from, to)).toBe('apply'));

  it.each([['awaiting_payment'], ['rejected'], ['cancelled'], ['paid']] as const)('treats a second event to %s as a duplicate', (status) =>
    expect(replicaMove(status, status)).toBe('duplicate'),
  );

  it.each([
    ['paid', 'cancelled'],
    ['cancelled', 'awaiting_payment'],
    ['rejected', 'awaiting_payment'],
    ['awaiting_payment', 'rejected'],
    ['cancelled', 'paid'],
    ['pending', 'paid'],
  ] as const)('refuses to move %s to %s', (from, to) => expect(replicaMove(from, to)).toBe('refused'));
});
