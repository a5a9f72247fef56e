// Hostile HTTP requests generated with fast-check from the app's own OpenAPI document: for every
// documented operation, requests that are valid, nearly valid (one field broken, missing or added)
// or plainly wrong (wrong types, odd unicode, huge strings, boundary numbers, bad ids, malformed
// JSON, wrong content types and methods, missing or forged tokens).
//
// Each request says whether the document itself forbids it (`forbiddenBecause`): its body, query,
// path or headers do not fit the documented schemas (checked here with Ajv, set up as the app sets
// up its own), it holds text PostgreSQL cannot store, it has no valid token for a secured operation,
// or it uses an undocumented method. Such a request must never succeed.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import addKeywords from 'ajv-keywords';
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minProperties?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  transform?: string[];
  description?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** `POST /api/v1/orders`: method and the document's path template. */
  key: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
  secured: boolean;
  /** The summary says "(admin)". */
  adminOnly: boolean;
}

export type Resource = 'users' | 'products' | 'orders' | 'payments';
export type Caller = 'anonymous' | 'customer' | 'admin' | 'forged';

/** What exists in the app the requests are sent to, so that valid-looking requests reach handlers. */
export interface World {
  ids: Record<Resource, string[]>;
  /** Path ids one operation takes instead of its resource's (e.g. only a spare account may be suspended). */
  pathIds: Record<string, string[]>;
  emails: string[];
  passwords: string[];
  tokens: { customer: string; admin: string };
  /** Authorization header values that must not authenticate anyone. */
  forgedAuthorizations: string[];
  subscriptions: string[];
  /** Cursors the lists handed out, so that pages past the first are read too. */
  cursors: string[];
  /** Idempotency-Keys already used (replays, and the same key with another body). */
  idempotencyKeys: string[];
}

/** Operations whose route takes what the document does not say (documented in the route's code or schema). */
export interface Leniency {
  /** Accepts a request without a body (or `null`) although the document marks the body required. */
  acceptsNoBody: ReadonlySet<string>;
  /** Accepts another body shape that it converts before validation (e.g. a legacy one): key → is it that shape? */
  alternativeBody: Readonly<Record<string, (body: unknown) => boolean>>;
}

export interface HostileRequest {
  /** The documented operation it was generated from (`UNDOCUMENTED` for made-up routes). */
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  caller: Caller;
  /** What was done to it, in words. */
  mutations: string[];
  /** Why the document forbids it (it must not succeed), or null when it may be valid. */
  forbiddenBecause: string | null;
}

export const UNDOCUMENTED = 'undocumented route';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export function operationsOf(document: { paths: Record<string, Record<string, Record<string, unknown>>>; components?: { schemas?: Record<string, unknown> } }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, named] of Object.entries(methods)) {
      const operation = inlined(named, document.components?.schemas ?? {}) as Record<string, unknown>;
      const body = (operation.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content?.['application/json']?.schema ?? null;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters as Parameter[] | undefined) ?? [],
        body,
        secured: Array.isArray(operation.security) && operation.security.length > 0,
        adminOnly: typeof operation.summary === 'string' && operation.summary.includes('(admin)'),
      });
    }
  }
  return operations;
}

/**
 * The operation with its named schemas (`$ref: #/components/schemas/…`) written in place, and the
 * app's `transform` keyword back under its own name (the document calls it `x-transform`), so that
 * Ajv checks requests as the app does.
 */
function inlined(value: unknown, schemas: Record<string, unknown>, seen: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => inlined(item, schemas, seen));
  if (value === null || typeof value !== 'object') return value;
  const { $ref, ...rest } = value as Record<string, unknown>;
  if (typeof $ref === 'string' && $ref.startsWith('#/components/schemas/')) {
    const name = $ref.slice('#/components/schemas/'.length);
    if (seen.includes(name)) throw new Error(`${name} refers to itself: the generator does not handle recursive schemas`);
    if (!(name in schemas)) throw new Error(`${$ref} names no schema`);
    return inlined(schemas[name], schemas, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(rest).map(([key, item]) => [key === 'x-transform' ? 'transform' : key, inlined(item, schemas, seen)]));
}

// ---------------------------------------------------------------------------------------------
// Building blocks: hostile values

const RAW = '\u0001RAW:';
/** A JSON token written as is (numbers JSON.stringify cannot write: 1e309, -0, 1.0). */
const raw = (text: string) => `${RAW}${text}\u0001`;

/** Strings meant to upset parsers, normalisers, databases and templates. None looks like a leak. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\t\r\n',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDC00',
  'x\uDBFF',
  '\uDFFFy',
  '\u202Eevil\u202C',
  '\u200F\u200E',
  '\u200B\u200C\u200D',
  '\uFEFF',
  '\u2028\u2029',
  '\u00A0\u3000',
  'e\u0301\u0302\u0303',
  'Z\u0337\u0322\u034E\u0344a\u0336l\u0335g\u0334o\u0336',
  '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}',
  '\u{1F3F3}\uFE0F\u200D\u{1F308}',
  '\u{1F600}',
  '\uFFFF\uFFFE',
  '\u{10FFFF}',
  '\u{1D54F}',
  '\u0130',
  '\u00DF',
  '\uFB03',
  '\u01C5',
  '\u0661\u0662\u0663',
  '\uFF11\uFF12\uFF13',
  '\u0645\u0631\u062D\u0628\u0627',
  '%',
  '_',
  '\\',
  '\\x00',
  '%00',
  "'",
  '"',
  '`',
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '$1',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '..%2F..%2F',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '0x10',
  '1e309',
  '9007199254740993',
  '2147483648',
  '-1',
  '0',
  '1.5',
  '__proto__',
  'constructor',
  'toString',
];

const BOUNDARY_NUMBERS: unknown[] = [
  0,
  -1,
  1,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 63,
  1.5,
  0.1,
  1e-7,
  1e21,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  5e-324,
  raw('1e309'),
  raw('-1e309'),
  raw('-0'),
  raw('1.0'),
  raw('2147483648.0'),
  raw('1E2'),
  raw('123456789012345678901234567890'),
  raw('1e-400'),
  'NaN',
  'Infinity',
  '-0',
  '1',
  '0x1F',
  '1e3',
  '١',
];

const HUGE_UNITS = ['a', ' ', '\u00E9', '\u{1F600}', '\u0301', '%', '\\', '\u0000'];

const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...ODD_STRINGS), { minLength: 2, maxLength: 6 }).map((parts) => parts.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...HUGE_UNITS), fc.constantFrom(101, 257, 1_001, 10_000, 100_000, 300_000))
      .map(([unit, times]) => unit.repeat(times)),
  },
);

/** Any JSON value, small or awkward. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, '', [], {}, [null], { '': null }) },
  { weight: 2, arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS) },
  { weight: 2, arbitrary: oddString },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(20, 500).map((depth) => nested(depth)) },
);

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\u{1F600}',
  'e\u0301',
  'role',
  'status',
  'id',
  'customerId',
  'priceCents',
  'reserved',
  'items',
  'products',
  'passwordHash',
  '$where',
  'a'.repeat(1_000),
];

// ---------------------------------------------------------------------------------------------
// Valid values from a schema (with real ids where the field names a resource)

const RESOURCE_OF_FIELD: Record<string, Resource> = { productId: 'products', orderId: 'orders', userId: 'users', paymentId: 'payments' };
const TEST_CARDS = ['4242424242424242', '4000000000000002', '4000000000009995'];

function anyRealId(world: World): string[] {
  return Object.values(world.ids).flat();
}

function uuidFor(world: World, resource: Resource | null): fc.Arbitrary<string> {
  const real = resource ? world.ids[resource] : anyRealId(world);
  return fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...real) },
    { weight: 1, arbitrary: fc.constantFrom(...real).map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.uuid() },
  );
}

function cursor(world: World): fc.Arbitrary<string> {
  const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const timestamps = ['2020-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z'];
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...world.cursors) },
    fc.tuple(fc.constantFrom(...timestamps), fc.uuid()).map(encode),
    fc.tuple(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), fc.uuid()).map(encode),
    fc.constantFrom<unknown>(
      ['+275760-09-13T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'],
      ['2020-01-01', 'not-a-uuid'],
      [1, 2],
      { createdAt: 1 },
      '[[[[[[',
      [null, null],
      ['2020-01-01T00:00:00.000Z\u0000', '00000000-0000-0000-0000-000000000000'],
    ).map(encode),
    fc.constantFrom('!!!', '====', 'a', '\u00E9', '%zz'),
  );
}

interface Hints {
  world: World;
  field: string | null;
}

/** A value the schema accepts (or nearly: strings with transforms get odd but harmless padding). */
function validValue(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const { world, field } = hints;
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => validValue(alternative, hints)));
  if (schema.enum) return fc.constantFrom(...schema.enum).chain((value) => (typeof value === 'string' ? withTransformPadding(value, schema) : fc.constant(value)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property, { ...hints, field: name })])),
        { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) },
      );
      const minProperties = schema.minProperties ?? 0;
      return minProperties > 0 ? record.filter((value) => Object.keys(value).length >= minProperties) : record;
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(validValue(schema.items ?? {}, hints), { minLength, maxLength: Math.min(schema.maxItems ?? minLength + 3, minLength + 3) });
    }
    case 'integer':
    case 'number': {
      if (field === 'expYear') {
        const year = new Date().getUTCFullYear();
        return fc.integer({ min: year, max: year + 20 });
      }
      const min = schema.minimum ?? -(2 ** 31);
      const max = schema.maximum ?? 2 ** 31 - 1;
      const small = fc.integer({ min, max: Math.min(max, Math.max(min, 0) + 20) });
      return fc.oneof(fc.constantFrom(min, max), small, fc.integer({ min, max }));
    }
    case 'boolean':
      return fc.boolean();
    case 'string':
      return validString(schema, hints);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function validString(schema: JsonSchema, hints: Hints): fc.Arbitrary<string> {
  const { world, field } = hints;
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 64;
  const fits = (text: string) => text.length >= min && text.length <= max;
  let base: fc.Arbitrary<string>;
  if (schema.format === 'uuid') base = uuidFor(world, field === null ? null : (RESOURCE_OF_FIELD[field] ?? null));
  else if (schema.format === 'email') {
    base = fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...world.emails) },
      { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{2,20}$/).map((local) => `${local}@example.com`) },
    );
  } else if (field === 'password' || field === 'currentPassword') {
    base = fc.oneof(fc.constantFrom(...world.passwords), fc.string({ unit: 'grapheme', minLength: Math.max(min, 8), maxLength: 40 }));
  } else if (field === 'number' && schema.pattern) {
    base = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TEST_CARDS) }, { weight: 1, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) });
  } else if (field === 'subscription') {
    base = fc.oneof(fc.constantFrom(...world.subscriptions), fc.stringMatching(new RegExp(schema.pattern ?? '^[a-z.-]+$')));
  } else if (field === 'cursor') base = cursor(world);
  else if (field === 'idempotency-key') {
    base = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...world.idempotencyKeys) }, { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/) });
  }
  else if (schema.pattern) base = fc.stringMatching(new RegExp(schema.pattern), { maxLength: max });
  else {
    base = fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: Math.max(min, 1), maxLength: Math.min(max, 30) }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(min, 1), maxLength: Math.min(max, 30) }) },
      // Odd but storable unicode within the limits: RTL marks, emoji, combining marks.
      { weight: 2, arbitrary: fc.constantFrom(...ODD_STRINGS.filter((text) => !unstorable(text) && text.trim().length >= min && text.length <= max)) },
    );
  }
  return base.filter(fits).chain((value) => withTransformPadding(value, schema));
}

/** Strings the schema trims or re-cases arrive padded or in the other case now and then. */
function withTransformPadding(value: string, schema: JsonSchema): fc.Arbitrary<string> {
  const transforms = schema.transform ?? [];
  if (transforms.length === 0) return fc.constant(value);
  const variants = [value];
  if (transforms.includes('trim')) variants.push(` ${value}\t`, `\u00A0${value}\u3000`);
  if (transforms.includes('toLowerCase')) variants.push(value.toUpperCase());
  if (transforms.includes('toUpperCase')) variants.push(value.toLowerCase());
  return fc.constantFrom(...variants);
}

// ---------------------------------------------------------------------------------------------
// Mutations of a valid JSON value

type PathKey = string | number;

interface Node {
  path: PathKey[];
  schema: JsonSchema | null;
  value: unknown;
}

function nodesOf(value: unknown, schema: JsonSchema | null, path: PathKey[] = []): Node[] {
  const nodes: Node[] = [{ path, schema, value }];
  const schemaOf = (child: PathKey): JsonSchema | null => {
    if (!schema) return null;
    const alternatives = schema.anyOf ?? schema.oneOf;
    const candidates = alternatives ?? [schema];
    for (const candidate of candidates) {
      if (typeof child === 'number' && candidate.items) return candidate.items;
      if (typeof child === 'string' && candidate.properties?.[child]) return candidate.properties[child];
    }
    return null;
  };
  if (Array.isArray(value)) value.forEach((item, index) => nodes.push(...nodesOf(item, schemaOf(index), [...path, index])));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) nodes.push(...nodesOf(item, schemaOf(key), [...path, key]));
  }
  return nodes;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function setAt(root: unknown, path: PathKey[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = clone(root) as Record<PathKey, unknown>;
  let parent: Record<PathKey, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<PathKey, unknown>;
  defineOwn(parent, path[path.length - 1]!, replacement);
  return copy;
}

function deleteAt(root: unknown, path: PathKey[]): unknown {
  const copy = clone(root) as Record<PathKey, unknown>;
  let parent: Record<PathKey, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<PathKey, unknown>;
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

/** An own, enumerable property even for `__proto__`, so JSON.stringify writes it. */
function defineOwn(target: Record<PathKey, unknown>, key: PathKey, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const describePath = (path: PathKey[]) => (path.length === 0 ? 'the body' : path.join('.'));
const short = (value: unknown) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}… (${text.length} chars)` : text;
};

function mutated(valid: unknown, schema: JsonSchema): fc.Arbitrary<{ value: unknown; note: string }> {
  const nodes = nodesOf(valid, schema);
  const objects = nodes.filter((node) => node.value !== null && typeof node.value === 'object' && !Array.isArray(node.value));
  const leaves = nodes.filter((node) => node.path.length > 0);
  const strings = nodes.filter((node) => typeof node.value === 'string');
  const numbers = nodes.filter((node) => typeof node.value === 'number');
  const pick = <T>(items: T[]) => fc.nat({ max: Math.max(items.length - 1, 0) }).map((index) => items[index]!);
  const options: Array<fc.Arbitrary<{ value: unknown; note: string }>> = [
    fc.tuple(pick(nodes), hostileJson).map(([node, value]) => ({ value: setAt(valid, node.path, value), note: `${describePath(node.path)} := ${short(value)}` })),
  ];
  if (leaves.length > 0) {
    options.push(pick(leaves).map((node) => ({ value: deleteAt(valid, node.path), note: `removed ${describePath(node.path)}` })));
  }
  if (objects.length > 0) {
    options.push(
      fc.tuple(pick(objects), fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), hostileJson).map(([node, key, value]) => {
        const copy = setAt(valid, node.path, clone(node.value)) as Record<string, unknown>;
        let target: Record<PathKey, unknown> = copy;
        for (const step of node.path) target = target[step] as Record<PathKey, unknown>;
        defineOwn(target, key, value);
        return { value: copy, note: `added ${describePath([...node.path, key])} = ${short(value)}` };
      }),
    );
  }
  if (strings.length > 0) {
    options.push(
      fc.tuple(pick(strings), oddString, fc.constantFrom('replace', 'prefix', 'suffix')).map(([node, odd, how]) => {
        const text = node.value as string;
        const value = how === 'replace' ? odd : how === 'prefix' ? odd + text : text + odd;
        return { value: setAt(valid, node.path, value), note: `${describePath(node.path)} ${how}d with ${short(odd)}` };
      }),
    );
  }
  if (numbers.length > 0) {
    options.push(
      fc.tuple(pick(numbers), fc.constantFrom(...BOUNDARY_NUMBERS)).map(([node, value]) => ({ value: setAt(valid, node.path, value), note: `${describePath(node.path)} := ${short(value)}` })),
    );
  }
  return fc.oneof(...options);
}

/** JSON text, with the raw number tokens written as they are. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001RAW:([^"\\]*)\\u0001"/g, '$1');
}

// ---------------------------------------------------------------------------------------------
// What the document allows (Ajv set up like the app's: strict bodies, coerced params)

function createAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ allErrors: false, removeAdditional: false, useDefaults: true, strict: false, coerceTypes });
  addFormats.default(ajv);
  addKeywords.default(ajv, ['transform']);
  return ajv;
}

const strictAjv = createAjv(false);
const coercingAjv = createAjv('array');

const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unstorable(text: string): boolean {
  return NUL_OR_LONE_SURROGATE.test(text);
}

function holdsUnstorableText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'string') {
      if (unstorable(current)) return true;
    } else if (Array.isArray(current)) pending.push(...current);
    else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (unstorable(key)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

interface Validators {
  body: ValidateFunction | null;
  query: ValidateFunction;
  path: ValidateFunction;
  header: ValidateFunction;
}

function parametersSchema(parameters: Parameter[], where: Parameter['in']): JsonSchema {
  const selected = parameters.filter((parameter) => parameter.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(selected.map((parameter) => [parameter.name, parameter.schema])),
    required: selected.filter((parameter) => parameter.required).map((parameter) => parameter.name),
  };
}

function validatorsOf(operation: Operation): Validators {
  return {
    body: operation.body ? strictAjv.compile(operation.body) : null,
    query: coercingAjv.compile(parametersSchema(operation.parameters, 'query')),
    path: coercingAjv.compile(parametersSchema(operation.parameters, 'path')),
    header: coercingAjv.compile(parametersSchema(operation.parameters, 'header')),
  };
}

// ---------------------------------------------------------------------------------------------
// Parts of a request

function tupleOf<T>(arbitraries: Array<fc.Arbitrary<T>>): fc.Arbitrary<T[]> {
  return arbitraries.length === 0 ? fc.constant([]) : fc.tuple(...arbitraries);
}

interface Part<T> {
  value: T;
  notes: string[];
  /** Why this part breaks the document, or null. */
  breaks: string | null;
}

/** Percent-encodes text, lone surrogates included (as the bytes a careless client would send). */
function encode(text: string): string {
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(character);
  }
  return out;
}

/** What a header value can hold: Latin-1 without control characters. */
const latin1Only = (text: string) => [...text].filter((character) => character.charCodeAt(0) >= 0x20 && character.charCodeAt(0) <= 0xff && character !== '\u007f').join('');

const RAW_SEGMENTS = ['%zz', '%c0%ae', '%ED%A0%80', '%2F', '%2e%2e', '..', '.', '%5C', '%00', '%FF', '%'];

function pathPart(operation: Operation, world: World, validators: Validators): fc.Arbitrary<Part<string>> {
  const params = operation.parameters.filter((parameter) => parameter.in === 'path');
  if (params.length === 0) return fc.constant({ value: operation.path, notes: [], breaks: null });
  const resource = (operation.path.split('/')[3] ?? 'users') as Resource;
  const real = world.pathIds[operation.key] ?? world.ids[resource] ?? anyRealId(world);
  const segment: fc.Arbitrary<{ text: string; raw: string; note: string | null }> = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...real).map((id) => ({ text: id, raw: id, note: null })) },
    { weight: 1, arbitrary: fc.constantFrom(...real).map((id) => ({ text: id.toUpperCase(), raw: id.toUpperCase(), note: 'id in upper case' })) },
    { weight: 1, arbitrary: fc.uuid().map((id) => ({ text: id, raw: id, note: 'unknown id' })) },
    {
      weight: 4,
      arbitrary: fc
        .oneof(
          oddString,
          fc.constantFrom(...real).map((id) => `{${id}}`),
          fc.constantFrom(...real).map((id) => id.replace(/-/g, '')),
          fc.constantFrom(...real).map((id) => `${id}0`),
          fc.constantFrom(...real).map((id) => ` ${id}`),
          fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'),
        )
        .filter((text) => text !== 'me' && text.length > 0)
        .map((text) => ({ text, raw: encode(text), note: `bad id ${short(text)}` })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((rawText) => ({ text: rawText, raw: rawText, note: `raw segment ${rawText}` })) },
  );
  return fc.array(segment, { minLength: params.length, maxLength: params.length }).map((segments) => {
    let value = operation.path;
    const decoded: Record<string, string> = {};
    const notes: string[] = [];
    let rawBreaks: string | null = null;
    params.forEach((parameter, index) => {
      const chosen = segments[index]!;
      value = value.replace(`{${parameter.name}}`, chosen.raw);
      decoded[parameter.name] = chosen.text;
      if (chosen.note) notes.push(`${parameter.name}: ${chosen.note}`);
      if (chosen.raw !== chosen.text || chosen.text.includes('/')) rawBreaks = `path ${parameter.name} is not a uuid`;
    });
    let breaks: string | null = rawBreaks;
    if (!breaks && !validators.path(clone(decoded))) breaks = 'path parameters do not fit the document';
    if (!breaks && holdsUnstorableText(decoded)) breaks = 'path parameters hold unstorable text';
    return { value, notes, breaks };
  });
}

function queryPart(operation: Operation, world: World, validators: Validators): fc.Arbitrary<Part<string>> {
  const params = operation.parameters.filter((parameter) => parameter.in === 'query');
  const choice = (parameter: Parameter) =>
    fc.oneof(
      { weight: 10, arbitrary: validValue(parameter.schema, { world, field: parameter.name }).map((value) => ({ values: [String(value)], note: null as string | null })) },
      { weight: 2, arbitrary: fc.constant({ values: [] as string[], note: `no ${parameter.name}` }) },
      { weight: 2, arbitrary: fc.oneof(oddString, fc.constantFrom(...BOUNDARY_NUMBERS).map((value) => String(value).replace(RAW, '').replace('\u0001', ''))).map((value) => ({ values: [value], note: `${parameter.name}=${short(value)}` })) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom('1', '20', 'x', ''), { minLength: 2, maxLength: 3 }).map((values) => ({ values, note: `${parameter.name} repeated` })) },
    );
  const extra = fc.oneof(
    { weight: 7, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.tuple(fc.constantFrom(...HOSTILE_KEYS, 'offset', 'sort', 'limit[]', 'a[b]', 'constructor[prototype][x]'), oddString).map(([key, value]) => `${encode(key)}=${encode(value)}`),
        fc.constantFrom('%zz', '&&&', '=', '==', '&=&', 'a=%', '%00=%00', 'x'.repeat(5_000), 'a=1&'.repeat(5_000)),
      ),
    },
  );
  return fc.tuple(tupleOf(params.map(choice)), extra).map(([chosen, extraPiece]) => {
    const pairs: string[] = [];
    const seen: Record<string, string | string[]> = {};
    const notes: string[] = [];
    params.forEach((parameter, index) => {
      const { values, note } = (chosen as Array<{ values: string[]; note: string | null }>)[index]!;
      for (const value of values) pairs.push(`${encode(parameter.name)}=${encode(value)}`);
      if (values.length === 1) seen[parameter.name] = values[0]!;
      else if (values.length > 1) seen[parameter.name] = values;
      if (note) notes.push(note);
    });
    if (extraPiece !== null) {
      pairs.push(extraPiece);
      notes.push(`extra query ${short(extraPiece)}`);
    }
    let breaks: string | null = null;
    if (!validators.query(clone(seen))) breaks = 'query does not fit the document';
    else if (holdsUnstorableText(seen)) breaks = 'query holds unstorable text';
    return { value: pairs.length > 0 ? `?${pairs.join('&')}` : '', notes, breaks };
  });
}

function headerPart(operation: Operation, world: World, validators: Validators): fc.Arbitrary<Part<Record<string, string>>> {
  const params = operation.parameters.filter((parameter) => parameter.in === 'header');
  const choice = (parameter: Parameter) =>
    fc.oneof(
      { weight: 6, arbitrary: validValue(parameter.schema, { world, field: parameter.name }).map((value) => ({ value: String(value) as string | null, note: null as string | null })) },
      { weight: 1, arbitrary: fc.constant({ value: null as string | null, note: `no ${parameter.name} header` }) },
      { weight: 2, arbitrary: fc.oneof(oddString.map(latin1Only), fc.constantFrom('short', 'x'.repeat(256), '        ', '\u00ff'.repeat(9))).map((value) => ({ value: value as string | null, note: `${parameter.name}: ${short(value)}` })) },
    );
  return tupleOf(params.map(choice)).map((chosen) => {
    const headers: Record<string, string> = {};
    const notes: string[] = [];
    params.forEach((parameter, index) => {
      const { value, note } = (chosen as Array<{ value: string | null; note: string | null }>)[index]!;
      if (value !== null) headers[parameter.name] = value;
      if (note) notes.push(note);
    });
    // A real HTTP parser trims header values, inject does not: only what fails either way counts.
    const trimmed = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.trim()]));
    const breaks = validators.header({ ...headers }) || validators.header(trimmed) ? null : 'headers do not fit the document';
    return { value: headers, notes, breaks };
  });
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8'];
const UNSUPPORTED_TYPES = ['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'image/png'];
const ODD_TYPES = ['Application/JSON', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/problem+json', 'application/jsonx', '*/*', ';', 'application/json; x=' + 'y'.repeat(2_000)];
const TEXT_TYPES = ['text/plain', 'text/plain; charset=utf-8'];

const MALFORMED_JSON = [
  '{',
  '}',
  '[',
  '{"a":}',
  "{'a':1}",
  '{"a":1,}',
  '[1,2,]',
  'NaN',
  'undefined',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":01}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"',
  '"unterminated',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[' .repeat(100_000) + ']'.repeat(100_000),
  '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
  `[${'1,'.repeat(100_000)}1]`,
  `{${Array.from({ length: 20_000 }, (_, index) => `"k${index}":${index}`).join(',')}}`,
];

interface BodyPart {
  payload: string | Buffer | undefined;
  contentType: string | undefined;
  notes: string[];
  breaks: string | null;
}

function bodyPart(operation: Operation, world: World, validators: Validators, leniency: Leniency): fc.Arbitrary<BodyPart> {
  const hasBody = operation.body !== null;
  const sendsBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(operation.method);
  const schema = operation.body ?? { type: 'object' };
  const valid = validValue(schema, { world, field: null });
  const noBody = !hasBody && !sendsBody;

  const judge = (value: unknown, present: boolean): string | null => {
    if (!hasBody) return null;
    if (!present || value === null) return leniency.acceptsNoBody.has(operation.key) ? null : present ? 'body does not fit the document' : 'the document requires a body';
    const alternative = leniency.alternativeBody[operation.key];
    if (alternative?.(value)) return null;
    if (holdsUnstorableText(value)) return 'body holds unstorable text';
    // `value` is parsed afresh from the text sent: Ajv's defaults and transforms may change it.
    return validators.body!(value) ? null : 'body does not fit the document';
  };
  const jsonBody = (value: unknown, notes: string[]): fc.Arbitrary<BodyPart> =>
    fc.constantFrom(...JSON_TYPES).map((contentType) => {
      const text = toJson(value);
      return { payload: text, contentType, notes, breaks: judge(JSON.parse(text), true) };
    });

  const kinds: Array<{ weight: number; arbitrary: fc.Arbitrary<BodyPart> }> = [
    { weight: noBody ? 10 : 5, arbitrary: valid.chain((value) => (noBody ? fc.constant({ payload: undefined, contentType: undefined, notes: [], breaks: null }) : jsonBody(value, []))) },
    { weight: noBody ? 1 : 8, arbitrary: valid.chain((value) => mutated(value, schema)).chain(({ value, note }) => jsonBody(value, [note])) },
    { weight: 1, arbitrary: hostileJson.chain((value) => jsonBody(value, [`body := ${short(value)}`])) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...MALFORMED_JSON), fc.constantFrom(...JSON_TYPES)).map(([text, contentType]) => {
        let parsed: { value: unknown } | null = null;
        try {
          parsed = { value: JSON.parse(text) };
        } catch {
          parsed = null;
        }
        const protoPoisoned = /"(__proto__|constructor)"/.test(text);
        const breaks = !sendsBody ? null : parsed === null || protoPoisoned ? 'malformed JSON' : judge(parsed.value, true);
        return { payload: text, contentType, notes: [`malformed JSON ${short(text)}`], breaks };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(...UNSUPPORTED_TYPES, ...TEXT_TYPES, ...ODD_TYPES, '')).map(([value, contentType]) => {
        const text = toJson(value);
        let breaks: string | null = null;
        if (sendsBody && UNSUPPORTED_TYPES.includes(contentType)) breaks = 'unsupported content type';
        else if (sendsBody && hasBody && TEXT_TYPES.includes(contentType)) breaks = 'a text body where the document wants JSON';
        return { payload: text, contentType: contentType === '' ? undefined : contentType, notes: [`content-type ${short(contentType)}`], breaks };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...JSON_TYPES, undefined).map((contentType) => ({
        payload: undefined,
        contentType,
        notes: ['no body'],
        breaks: sendsBody && contentType !== undefined ? 'empty JSON body' : judge(undefined, false),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
          Buffer.from('{"a":"\xc0\xae\xff"}', 'latin1'),
          Buffer.from('{"name":"\xed\xa0\x80"}', 'latin1'),
          Buffer.from('\uFEFF{}', 'utf8'),
          Buffer.from('{}', 'utf16le'),
          Buffer.alloc(300 * 1024, 0x20),
        )
        .map((payload) => ({ payload, contentType: 'application/json', notes: [`raw bytes (${payload.length})`], breaks: null })),
    },
  ];
  return fc.oneof(...kinds);
}

/** Headers no operation documents, that the platform reads or a client may send anyway. */
const noiseHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        'x-request-id': fc.oneof(fc.constantFrom('req-1', 'a'.repeat(129), '../../x', 'id with spaces', '\u00ff\u00fe'), oddString.map(latin1Only)),
        accept: fc.constantFrom('application/xml', 'text/html', '*/*', 'application/problem+json', 'image/*;q=0', ''),
        'accept-version': fc.constantFrom('1.0.0', '>=2', '*', 'x'.repeat(1_000)),
        'x-forwarded-for': fc.constantFrom('203.0.113.7', '::1', 'not-an-address', '1.1.1.1, 2.2.2.2', ''),
        'x-forwarded-proto': fc.constantFrom('https', 'gopher', ''),
        'idempotent-replayed': fc.constant('true'),
        cookie: fc.constantFrom('session=1', '__proto__=x', ';;;'),
        'if-none-match': fc.constantFrom('*', '"abc"'),
        range: fc.constantFrom('bytes=0-1', 'bytes=-1', 'lines=1'),
      },
      { requiredKeys: [] },
    ),
  },
);

function callerPart(operation: Operation, world: World): fc.Arbitrary<{ caller: Caller; authorization: string | null; breaks: string | null }> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant({ caller: 'customer' as Caller, authorization: `Bearer ${world.tokens.customer}`, breaks: operation.adminOnly ? 'a customer calling an admin operation' : null }) },
    { weight: 4, arbitrary: fc.constant({ caller: 'admin' as Caller, authorization: `Bearer ${world.tokens.admin}`, breaks: null }) },
    { weight: 2, arbitrary: fc.constant({ caller: 'anonymous' as Caller, authorization: null, breaks: operation.secured ? 'no token' : null }) },
    { weight: 1, arbitrary: fc.constantFrom(...world.forgedAuthorizations).map((authorization) => ({ caller: 'forged' as Caller, authorization, breaks: operation.secured ? 'a forged token' : null })) },
  );
}

// ---------------------------------------------------------------------------------------------
// Whole requests

export function hostileRequests(operations: Operation[], world: World, leniency: Leniency): fc.Arbitrary<HostileRequest> {
  const byPath = new Map<string, Set<string>>();
  for (const operation of operations) {
    const methods = byPath.get(operation.path) ?? new Set<string>();
    methods.add(operation.method);
    if (operation.method === 'GET') methods.add('HEAD');
    byPath.set(operation.path, methods);
  }
  const perOperation = operations.map((operation) => {
    const validators = validatorsOf(operation);
    const undocumented = METHODS.filter((method) => !byPath.get(operation.path)!.has(method));
    return fc
      .record({
        path: pathPart(operation, world, validators),
        query: queryPart(operation, world, validators),
        headers: headerPart(operation, world, validators),
        body: bodyPart(operation, world, validators, leniency),
        caller: callerPart(operation, world),
        noise: noiseHeaders,
        method: fc.oneof(
          { weight: 12, arbitrary: fc.constant(operation.method) },
          { weight: 1, arbitrary: fc.constantFrom(...(operation.method === 'GET' ? ['HEAD'] : [operation.method])) },
          ...(undocumented.length > 0 ? [{ weight: 1, arbitrary: fc.constantFrom(...undocumented) }] : []),
        ),
      })
      .map(({ path, query, headers, body, caller, noise, method }): HostileRequest => {
        const allHeaders: Record<string, string> = { ...noise, ...headers.value };
        if (caller.authorization !== null) allHeaders.authorization = caller.authorization;
        if (body.contentType !== undefined) allHeaders['content-type'] = body.contentType;
        const methodBreaks = byPath.get(operation.path)!.has(method) ? null : `method ${method} is not documented for ${operation.path}`;
        const mutations = [...path.notes, ...query.notes, ...headers.notes, ...body.notes];
        if (Object.keys(noise).length > 0) mutations.push(`headers ${Object.keys(noise).join(', ')}`);
        if (method !== operation.method) mutations.push(`method ${method}`);
        if (caller.caller === 'forged') mutations.push(`authorization ${short(caller.authorization)}`);
        // With another method, the operation's own parameters and body rules no longer apply.
        const breaks = methodBreaks ?? caller.breaks ?? (method === operation.method ? (path.breaks ?? query.breaks ?? headers.breaks ?? body.breaks) : null);
        return {
          operation: operation.key,
          method,
          url: path.value + query.value,
          headers: allHeaders,
          ...(body.payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload: body.payload } : {}),
          caller: caller.caller,
          mutations,
          forbiddenBecause: breaks,
        };
      });
  });
  const undocumentedRoute = fc
    .tuple(
      fc.constantFrom('/api/v1/', '/api/v2/products', '/API/V1/PRODUCTS', '/api/v1/products/', '/api//v1/products', '/internal/v1/users/get-public-profiles', '/admin/v1/', '/.env', '/api/v1/users/me/addresses'),
      oddString,
      fc.constantFrom(...METHODS),
    )
    .map(([prefix, tail, method]): HostileRequest => ({
      operation: UNDOCUMENTED,
      method,
      url: prefix + encode(tail.slice(0, 2_000)),
      headers: { authorization: `Bearer ${world.tokens.admin}`, 'content-type': 'application/json' },
      ...(method !== 'GET' && method !== 'HEAD' ? { payload: '{}' } : {}),
      caller: 'admin',
      mutations: ['undocumented route'],
      forbiddenBecause: 'no such documented route',
    }));
  return fc.oneof({ weight: 40, arbitrary: fc.oneof(...perOperation) }, { weight: 1, arbitrary: undocumentedRoute }).map((request) =>
    Object.assign(request, { [fc.toStringMethod]: () => `${request.method} ${request.url.slice(0, 120)}` }),
  );
}

/** The request as one would retype it: method, url, headers and body (cut at `maxBody` characters). */
export function describeRequest(request: HostileRequest, maxBody = 4_000): string {
  const body =
    request.payload === undefined
      ? '(no body)'
      : Buffer.isBuffer(request.payload)
        ? `bytes ${request.payload.length <= 200 ? request.payload.toString('hex') : `${request.payload.subarray(0, 100).toString('hex')}… (${request.payload.length} bytes)`}`
        : request.payload.length <= maxBody
          ? JSON.stringify(request.payload)
          : `${JSON.stringify(request.payload.slice(0, maxBody))}… (${request.payload.length} chars)`;
  const url = request.url.length <= maxBody ? request.url : `${request.url.slice(0, maxBody)}… (${request.url.length} chars)`;
  return [
    `${request.method} ${url}`,
    `  operation: ${request.operation}; caller: ${request.caller}; forbidden because: ${request.forbiddenBecause ?? '-'}`,
    `  mutations: ${request.mutations.join('; ') || '-'}`,
    `  headers: ${JSON.stringify(request.headers)}`,
    `  body: ${body}`,
  ].join('\n');
}
