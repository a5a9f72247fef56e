// Merging lines, pricing them from the catalog and totalling in whole cents.
import { describe, expect, it } from 'vitest';
import { mergeLines, priceLines, totalCents } from './order-lines.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

describe('mergeLines', () => {
  it('sums the quantities of lines naming one product and remembers where they came from', () => {
    expect(mergeLines([{ productId: A, quantity: 1 }, { productId: B, quantity: 2 }, { productId: A, quantity: 3 }])).toEqual([
      { productId: A, quantity: 4, sources: [0, 2] },
      { productId: B, quantity: 2, sources: [1] },
    ]);
  });

  it('keeps distinct products apart, in order of first appearance', () => {
    expect(mergeLines([{ productId: C, quantity: 1 }, { productId: A, quantity: 1 }]).map((line) => line.productId)).toEqual([C, A]);
  });

  it('does not change the lines it is given', () => {
    const lines = [{ productId: A, quantity: 1 }, { productId: A, quantity: 1 }];
    mergeLines(lines);
    expect(lines).toEqual([{ productId: A, quantity: 1 }, { productId: A, quantity: 1 }]);
  });
});

describe('totalCents', () => {
  it('is the sum of quantity × unit price', () => {
    expect(totalCents([{ productId: A, quantity: 3, unitPriceCents: 199 }, { productId: B, quantity: 1, unitPriceCents: 1 }])).toBe(598);
  });

  it('refuses prices that are not whole cents', () => {
    expect(() => totalCents([{ productId: A, quantity: 1, unitPriceCents: 9.99 }])).toThrow(RangeError);
  });

  it('refuses a total beyond what a double holds exactly', () => {
    expect(() => totalCents([{ productId: A, quantity: 100, unitPriceCents: Number.MAX_SAFE_INTEGER }])).toThrow(RangeError);
  });
});

describe('priceLines', () => {
  const catalog = [
    { id: A, priceCents: 250, currency: 'USD' },
    { id: B, priceCents: 1000, currency: 'usd' },
    { id: C, priceCents: 700, currency: 'EUR' },
  ];

  it('prices every line from the catalog and totals it', () => {
    expect(priceLines(mergeLines([{ productId: A, quantity: 2 }, { productId: B, quantity: 1 }]), catalog)).toEqual({
      outcome: 'priced',
      lines: [
        { productId: A, quantity: 2, unitPriceCents: 250 },
        { productId: B, quantity: 1, unitPriceCents: 1000 },
      ],
      currency: 'USD',
      totalCents: 1500,
    });
  });

  it('names the lines of products the catalog does not know', () => {
    const unknown = '00000000-0000-4000-8000-0000000000ff';
    const pricing = priceLines(mergeLines([{ productId: A, quantity: 1 }, { productId: unknown, quantity: 1 }, { productId: unknown, quantity: 2 }]), catalog);
    expect(pricing).toEqual({ outcome: 'unknown-products', lines: [{ productId: unknown, quantity: 3, sources: [1, 2] }] });
  });

  it('refuses products priced in different currencies', () => {
    const pricing = priceLines(mergeLines([{ productId: A, quantity: 1 }, { productId: C, quantity: 1 }]), catalog);
    expect(pricing.outcome).toBe('mixed-currencies');
  });

  it('refuses an order without lines', () => {
    expect(() => priceLines([], catalog)).toThrow(RangeError);
  });
});
