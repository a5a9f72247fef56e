// Request and response schemas of the orders module's routes (they validate, serialise and feed
// the OpenAPI document).
import { Type } from 'typebox';
import { CountryCode } from '../../../platform/http/iso-countries.js';
import { PageQuery } from '../../../platform/http/pagination.js';
import { MAX_LINE_QUANTITY } from '../domain/order-lines.js';
import { ORDER_STATUSES } from '../domain/order-status.js';

const trimmed = (options: { minLength: number; maxLength: number; pattern?: string }) =>
  Type.String({ ...options, transform: ['trim'] });

// Lower-cased so that one product written in two cases is still one line.
const ProductId = Type.String({ format: 'uuid', transform: ['toLowerCase'] });
const OrderStatus = Type.Enum(ORDER_STATUSES, { title: 'OrderStatus' });

export const OrderIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ShippingAddressBody = Type.Object(
  {
    street: trimmed({ minLength: 1, maxLength: 200 }),
    city: trimmed({ minLength: 1, maxLength: 100 }),
    zipCode: trimmed({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9 -]+$' }),
    country: CountryCode,
  },
  { additionalProperties: false, title: 'ShippingAddress' },
);

const Quantity = Type.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY });

export const PlaceOrderBody = Type.Object(
  {
    items: Type.Array(
      Type.Object({ productId: ProductId, quantity: Quantity }, { additionalProperties: false }),
      { minItems: 1, maxItems: 50 },
    ),
    shippingAddress: ShippingAddressBody,
  },
  {
    additionalProperties: false,
    title: 'PlaceOrderRequest',
    description: 'Lines naming the same product are merged. The legacy shape `{ products: [{ id, qty }], shippingAddress }` is accepted too.',
  },
);

/**
 * The shape older clients send. Documented only: the route converts it to PlaceOrderBody before
 * validation (legacy-order-body.ts), so PlaceOrderBody's rules apply to it as well.
 */
export const LegacyPlaceOrderBody = Type.Object(
  {
    products: Type.Array(Type.Object({ id: ProductId, qty: Quantity }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
    shippingAddress: ShippingAddressBody,
  },
  { additionalProperties: false, title: 'LegacyPlaceOrderRequest', deprecated: true, description: 'The shape of older clients: send PlaceOrderRequest instead.' },
);

export const ListOrdersQuery = Type.Object(
  { ...PageQuery.properties, status: Type.Optional(OrderStatus) },
  { additionalProperties: false },
);

const OrderItem = {
  productId: Type.String({ format: 'uuid' }),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer({ description: 'the product’s price when the order was placed' }),
};

const OrderFields = {
  id: Type.String({ format: 'uuid' }),
  customerId: Type.String({ format: 'uuid' }),
  status: OrderStatus,
  items: Type.Array(Type.Object(OrderItem)),
  totalCents: Type.Integer(),
  currency: Type.String(),
  shippingAddress: Type.Object({ street: Type.String(), city: Type.String(), zipCode: Type.String(), country: Type.String() }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const Order = Type.Object(OrderFields, { title: 'Order' });

export const ComposedOrder = Type.Object({
  ...OrderFields,
  items: Type.Array(
    Type.Object({
      ...OrderItem,
      product: Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), sku: Type.String(), name: Type.String() }), Type.Null()]),
    }),
  ),
  customer: Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String() }), Type.Null()]),
  degraded: Type.Optional(
    Type.Array(Type.Enum(['users', 'products']), {
      description: 'Present only when a module could not answer: its part of the order is null (the customer may come from a local copy).',
    }),
  ),
}, { title: 'OrderDetails' });
