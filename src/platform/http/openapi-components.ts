// Named schemas for clients: every schema with a `title` (given where the TypeBox schema is
// defined) moves to `components.schemas.<title>` and is referenced from where it was, so that code
// generators emit one type per name instead of one per place. Two different schemas may not share
// a title: one of them would silently lose its name (or its shape) in every client.
type Json = Record<string, unknown>;

// Keywords whose value is a schema, a list of schemas, or a map of schemas (JSON Schema 2020-12).
const ONE = ['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties'];
const MANY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

export class NamedSchemas {
  readonly #schemas = new Map<string, { schema: Json; canonical: string }>();

  /** The schema with every titled schema in it (itself included) replaced by a `$ref`. */
  hoist(schema: unknown): unknown {
    if (!isObject(schema)) return schema;
    const copy: Json = { ...schema };
    for (const key of ONE) if (isObject(copy[key])) copy[key] = this.hoist(copy[key]);
    for (const key of MANY) if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map((item) => this.hoist(item));
    for (const key of MAP) {
      if (isObject(copy[key])) copy[key] = Object.fromEntries(Object.entries(copy[key]).map(([name, item]) => [name, this.hoist(item)]));
    }
    if (typeof copy.title !== 'string') return copy;
    this.#register(copy.title, copy);
    return { $ref: `${SCHEMA_REF_PREFIX}${copy.title}` };
  }

  /** Every named schema, by name. */
  components(): Record<string, Json> {
    return Object.fromEntries([...this.#schemas].sort(([a], [b]) => a.localeCompare(b)).map(([name, { schema }]) => [name, schema]));
  }

  #register(title: string, schema: Json): void {
    if (!/^[A-Za-z0-9._-]+$/.test(title)) throw new Error(`The schema title "${title}" cannot name a component (letters, digits, . _ - only)`);
    const canonical = canonicalJson(schema);
    const known = this.#schemas.get(title);
    if (known === undefined) this.#schemas.set(title, { schema, canonical });
    else if (known.canonical !== canonical) {
      throw new Error(`Two different schemas are titled "${title}":\n${known.canonical}\n${canonical}\nGive one of them another title.`);
    }
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    isObject(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
