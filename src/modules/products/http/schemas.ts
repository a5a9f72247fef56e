// Request and response schemas of the products module's routes (they validate, serialise and
// feed the OpenAPI document).
import { Type } from 'typebox';
import { PageQuery } from '../../../platform/http/pagination.js';
import { MAX_INTEGER } from '../db/schema.js';
import { CURRENCY_CODES, DEFAULT_CURRENCY } from '../domain/currencies.js';

const trimmed = (options: { minLength: number; maxLength: number; pattern?: string }) =>
  Type.String({ ...options, transform: ['trim'] });

// Printable ASCII without spaces: SKUs end up on labels, in URLs and in spreadsheets.
export const Sku = trimmed({ minLength: 1, maxLength: 64, pattern: '^[!-~]+$' });
export const Name = trimmed({ minLength: 1, maxLength: 200 });
export const Description = Type.Union([trimmed({ minLength: 0, maxLength: 2000 }), Type.Null()]);
// Money and stock live in 32-bit integer columns.
export const PriceCents = Type.Integer({ minimum: 1, maximum: MAX_INTEGER, description: 'price in minor units of the currency' });
// ISO 4217, upper case as the standard writes it.
export const Currency = Type.String({ enum: CURRENCY_CODES, transform: ['trim'], default: DEFAULT_CURRENCY });
export const Stock = Type.Integer({ minimum: 0, maximum: MAX_INTEGER, description: 'units on hand, reserved ones included' });

export const ProductIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const Product = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sku: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  priceCents: Type.Integer(),
  currency: Type.String(),
  stock: Type.Integer(),
  reserved: Type.Integer({ description: 'units held for placed orders not yet paid; available = stock - reserved' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
}, { title: 'Product' });

export const CreateProductBody = Type.Object(
  {
    sku: Sku,
    name: Name,
    description: Type.Optional(Description),
    priceCents: PriceCents,
    currency: Type.Optional(Currency),
    stock: Stock,
  },
  { additionalProperties: false, title: 'CreateProductRequest' },
);

export const UpdateProductBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    priceCents: Type.Optional(PriceCents),
    stock: Type.Optional(Stock),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateProductRequest' },
);

export const ProductListQuery = Type.Object(
  {
    ...PageQuery.properties,
    q: Type.Optional(Type.String({ maxLength: 100, transform: ['trim'], description: 'matches name or sku, any letter case' })),
  },
  { additionalProperties: false },
);
