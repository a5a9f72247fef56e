import { describe, expect, it } from 'vitest';
import { NamedSchemas } from './openapi-components.js';

describe('NamedSchemas', () => {
  it('moves titled schemas, nested ones included, to components and refers to them', () => {
    const named = new NamedSchemas();
    const address = { type: 'object', title: 'Address', properties: { city: { type: 'string' } } };
    const order = { type: 'object', title: 'Order', properties: { shippingAddress: address, lines: { type: 'array', items: { anyOf: [address, { type: 'null' }] } } } };
    expect(named.hoist(order)).toEqual({ $ref: '#/components/schemas/Order' });
    expect(named.hoist({ type: 'array', items: order })).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Order' } });
    expect(named.components()).toEqual({
      Address: address,
      Order: { ...order, properties: { shippingAddress: { $ref: '#/components/schemas/Address' }, lines: { type: 'array', items: { anyOf: [{ $ref: '#/components/schemas/Address' }, { type: 'null' }] } } } },
    });
  });

  it('leaves a property called `title` alone: only a schema’s own title names it', () => {
    const named = new NamedSchemas();
    const problem = { type: 'object', properties: { title: { type: 'string' } } };
    expect(named.hoist(problem)).toEqual(problem);
    expect(named.components()).toEqual({});
  });

  it('refuses two different schemas with one title', () => {
    const named = new NamedSchemas();
    named.hoist({ type: 'object', title: 'Order', properties: { id: { type: 'string' } } });
    named.hoist({ title: 'Order', properties: { id: { type: 'string' } }, type: 'object' });
    expect(() => named.hoist({ type: 'object', title: 'Order', properties: { id: { type: 'integer' } } })).toThrow(/Two different schemas are titled "Order"/);
  });
});
