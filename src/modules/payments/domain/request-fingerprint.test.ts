// The fingerprint that tells a retry (same request) from a different request under one key.
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestFingerprint } from './request-fingerprint.js';

const request = { orderId: 'b0000000-0000-4000-8000-000000000001', card: { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' } };
const salt = { customerId: 'c0000000-0000-4000-8000-000000000001', key: 'key-12345678' };

describe('canonicalJson', () => {
  it('writes equal objects the same way whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"e":3,"f":2}]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [1, { e: 3, f: 2 }] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: 'x' } }));
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same request, whatever the key order', async () => {
    const reordered = { card: { cvc: '123', expYear: 2040, expMonth: 12, number: '4242424242424242' }, orderId: request.orderId };
    expect(await requestFingerprint(reordered, salt)).toBe(await requestFingerprint(request, salt));
  });

  it('differs when any field differs', async () => {
    const base = await requestFingerprint(request, salt);
    expect(await requestFingerprint({ ...request, card: { ...request.card, number: '4000000000000002' } }, salt)).not.toBe(base);
    expect(await requestFingerprint({ ...request, card: { ...request.card, cvc: '124' } }, salt)).not.toBe(base);
    expect(await requestFingerprint({ ...request, orderId: 'b0000000-0000-4000-8000-000000000002' }, salt)).not.toBe(base);
  });

  it('differs per customer and key, so equal requests of different keys cannot be matched up', async () => {
    const base = await requestFingerprint(request, salt);
    expect(await requestFingerprint(request, { ...salt, key: 'key-87654321' })).not.toBe(base);
    expect(await requestFingerprint(request, { ...salt, customerId: 'c0000000-0000-4000-8000-000000000002' })).not.toBe(base);
  });

  it('holds neither the card number nor the cvc', async () => {
    const fingerprint = await requestFingerprint(request, salt);
    expect(fingerprint).toMatch(/^scrypt:[A-Za-z0-9_-]{43}$/);
    expect(fingerprint).not.toContain('4242');
  });
});
