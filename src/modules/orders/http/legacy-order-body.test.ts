// The legacy body `{ products: [{ id, qty }] }` rewritten into the current shape before validation.
import { describe, expect, it } from 'vitest';
import { fromLegacyOrderBody } from './legacy-order-body.js';

const address = { street: 's', city: 'c', zipCode: 'z', country: 'US' };

describe('fromLegacyOrderBody', () => {
  it('renames products to items, id to productId and qty to quantity', () => {
    expect(fromLegacyOrderBody({ products: [{ id: 'p1', qty: 2 }], shippingAddress: address })).toEqual({
      items: [{ productId: 'p1', quantity: 2 }],
      shippingAddress: address,
    });
  });

  it('keeps other properties so that validation rejects them', () => {
    expect(fromLegacyOrderBody({ products: [{ id: 'p1', qty: 1, price: 5 }], note: 'x' })).toEqual({ items: [{ productId: 'p1', quantity: 1, price: 5 }], note: 'x' });
  });

  it('leaves a body in the current shape untouched, even with a stray products', () => {
    const body = { items: [], products: [{ id: 'p1', qty: 1 }] };
    expect(fromLegacyOrderBody(body)).toBe(body);
  });

  it('keeps a legacy key when the line already has the current one, so that it is rejected', () => {
    expect(fromLegacyOrderBody({ products: [{ id: 'p1', productId: 'p2', qty: 1 }] })).toEqual({ items: [{ id: 'p1', productId: 'p2', quantity: 1 }] });
  });

  it.each([[null], ['text'], [[1, 2]], [{ products: 'all' }], [{ products: [null, 3] }]])('passes %j through for validation to judge', (body) => {
    const converted = fromLegacyOrderBody(body) as Record<string, unknown> | null;
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) expect(converted).toEqual({ items: (body as { products: unknown }).products });
    else expect(converted).toBe(body);
  });
});
