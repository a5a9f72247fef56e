// Cursor pagination shared by every list: `?limit=1..100&cursor=…` → `{ items, nextCursor }`.
// The cursor is opaque to clients: base64url of the last item's sort key.
import { Type, type TInteger, type TSchema } from 'typebox';
import { problem } from './problem.js';
import { isUuid } from './uuid.js';

// Optional for clients, yet never missing in a handler: validation (Ajv's useDefaults) writes the
// default in before the handler runs. The cast keeps the handlers' type saying so.
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) as unknown as TInteger;

export const PageQuery = Type.Object(
  {
    limit: Limit,
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** A page of a named item is named after it (`Order` → `OrderPage`): a schema of its own in the OpenAPI document. */
export function Page<T extends TSchema>(item: T) {
  const name = (item as { title?: unknown }).title;
  const title = typeof name === 'string' ? { title: `${name}Page` } : {};
  return Type.Object(
    { items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }) },
    title,
  );
}

export interface SortKey {
  createdAt: string;
  id: string;
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): SortKey | null {
  if (cursor === undefined) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && isStoredTimestamp(createdAt) && isUuid(id)) return { createdAt, id };
  } catch {
    // reported below
  }
  throw problem.badRequest('The cursor is invalid', [{ path: 'querystring.cursor', message: 'is not a cursor this API issued' }]);
}

// Only timestamps this API could have issued: ISO strings that round-trip, within years 1-9999.
function isStoredTimestamp(value: string): boolean {
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999 && date.toISOString() === value;
}

/** Builds the page from `limit + 1` rows fetched in order: the extra row only says there is more. */
export function toPage<Row, Item>(rows: Row[], limit: number, key: (row: Row) => SortKey, view: (row: Row) => Item) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
  };
}
