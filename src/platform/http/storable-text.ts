// PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate is no character at all (it would
// be stored as U+FFFD, silently changing the data). Both are refused where the request arrives, in
// every field of every route, so no module meets them in a query.
import type { FieldError } from './problem.js';

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Field {
  value: unknown;
  key: string | null;
  parent: Field | null;
}

/** The fields of `value` holding unstorable text, each named like a validation error. */
export function unstorableText(value: unknown, where: string | null): FieldError[] {
  const errors: FieldError[] = [];
  // Iterative: a body within the size limit can nest deeper than the call stack goes.
  const pending: Field[] = [{ value, key: where, parent: null }];
  for (let next = 0; next < pending.length; next++) {
    const field = pending[next]!;
    const { value: current } = field;
    if (typeof current === 'string') {
      const message = problemWith(current);
      if (message) errors.push({ path: pathOf(field), message });
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, key: String(index), parent: field }));
    } else if (isPlainObject(current)) {
      for (const [key, item] of Object.entries(current)) {
        const child = { value: item, key, parent: field };
        const message = problemWith(key);
        if (message) errors.push({ path: pathOf(child), message: `property name ${message}` });
        pending.push(child);
      }
    }
  }
  return errors;
}

function pathOf(field: Field): string {
  const keys: string[] = [];
  for (let current: Field | null = field; current; current = current.parent) if (current.key !== null) keys.unshift(current.key);
  return keys.join('.') || 'body';
}

function problemWith(text: string): string | null {
  if (text.includes(NUL)) return 'must not contain NUL characters (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (no lone surrogates)';
  return null;
}

// Parsed JSON, and Fastify's query and params objects (instances of a class without a prototype
// chain); not streams, buffers or other class instances a content parser may hand over.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
