// Older clients send `{ products: [{ id, qty }], shippingAddress }`. The body is rewritten into the
// current shape before validation (a preValidation hook), so one schema checks both shapes and
// errors name the same fields either way.
import type { FastifyRequest } from 'fastify';

export async function convertLegacyOrderBody(request: FastifyRequest): Promise<void> {
  request.body = fromLegacyOrderBody(request.body);
}

export function fromLegacyOrderBody(body: unknown): unknown {
  // A body with `items` is the current shape; a stray `products` in it is left to be rejected.
  if (!isObject(body) || !('products' in body) || 'items' in body) return body;
  const { products, ...rest } = body;
  return { ...rest, items: Array.isArray(products) ? products.map(fromLegacyLine) : products };
}

function fromLegacyLine(line: unknown): unknown {
  if (!isObject(line)) return line;
  const converted: Record<string, unknown> = { ...line };
  // Renamed only when the new name is free: a line holding both keeps the old key, to be rejected.
  for (const [legacy, current] of [['id', 'productId'], ['qty', 'quantity']] as const) {
    if (legacy in converted && !(current in converted)) {
      converted[current] = converted[legacy];
      delete converted[legacy];
    }
  }
  return converted;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
