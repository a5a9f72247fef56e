// Response schemas of version 2 of the orders API (requests are the same as version 1's, see
// schemas.ts). What changed: money is an object of integer minor units and a currency, and every
// line names its product. Titled, so the OpenAPI document shows them as named components.
import { Type } from 'typebox';
import { ORDER_STATUSES } from '../domain/order-status.js';

export const Money = Type.Object(
  {
    amount: Type.Integer({ description: 'In the currency’s minor units: 3299 is 32.99 USD' }),
    currency: Type.String({ description: 'ISO 4217 code, e.g. USD' }),
  },
  { title: 'Money' },
);

const ProductSummary = Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), sku: Type.String(), name: Type.String() }), Type.Null()], {
  description: 'The product as the catalog names it now; null when the catalog could not answer (see `degraded`) or no longer has it.',
});

export const OrderLineV2 = Type.Object(
  {
    productId: Type.String({ format: 'uuid' }),
    quantity: Type.Integer(),
    // The product’s price when the order was placed.
    unitPrice: Money,
    product: ProductSummary,
  },
  { title: 'OrderLineV2' },
);

export const OrderV2 = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    customerId: Type.String({ format: 'uuid' }),
    status: Type.Enum(ORDER_STATUSES),
    items: Type.Array(OrderLineV2),
    total: Money,
    shippingAddress: Type.Object({ street: Type.String(), city: Type.String(), zipCode: Type.String(), country: Type.String() }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    customer: Type.Optional(
      Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String() }), Type.Null()], {
        description: 'Only on GET /api/v2/orders/{id}: the customer with their username.',
      }),
    ),
    degraded: Type.Optional(
      Type.Array(Type.Enum(['users', 'products']), {
        description: 'Present only when a module could not answer: its part of the order is null (the customer may come from a local copy).',
      }),
    ),
  },
  { title: 'OrderV2' },
);

export const OrderPageV2 = Type.Object(
  { items: Type.Array(OrderV2), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { title: 'OrderPageV2' },
);
