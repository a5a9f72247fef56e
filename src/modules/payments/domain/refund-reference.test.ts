// Refund references of automatic refunds: stable per (event, payment), distinct otherwise.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { refundReference } from './refund-reference.js';

describe('refundReference', () => {
  const eventId = randomUUID();
  const paymentId = randomUUID();

  it('is the same UUID for every delivery of one event refunding one payment', () => {
    expect(refundReference(eventId, paymentId)).toBe(refundReference(eventId, paymentId));
    expect(refundReference(eventId, paymentId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs for another payment or another event', () => {
    expect(refundReference(eventId, randomUUID())).not.toBe(refundReference(eventId, paymentId));
    expect(refundReference(randomUUID(), paymentId)).not.toBe(refundReference(eventId, paymentId));
  });
});
