// What is wrong with a value, measured against a TypeBox schema: for data that crosses a module
// boundary (events, contract answers), where the writer and the reader may be different releases.
// Problems name fields and rules, never values: they end up in logs and dead letters.
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

const validators = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** Up to `limit` problems, e.g. `data/price/cents must be integer`; none when the value fits. */
export function schemaProblems(schema: TSchema, value: unknown, root = 'data', limit = 3): string[] {
  let validator = validators.get(schema);
  if (!validator) validators.set(schema, (validator = Compile(schema)));
  if (validator.Check(value)) return [];
  return [...validator.Errors(value)].slice(0, limit).map((error) => `${root}${error.instancePath} ${error.message}`);
}
