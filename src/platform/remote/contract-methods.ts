// How a contract is described to the network: which methods it has and whether each may be
// repeated safely. TypeScript interfaces vanish at run time, so both sides (the routes that serve a
// contract and the client that calls it) are handed this description; its type forces it to list
// every method of the interface, so a method added to a contract cannot be forgotten here.
import type { TSchema } from 'typebox';

/** A contract: an interface of async methods taking and returning plain JSON data. */
export type Contract<Api> = { [Name in keyof Api]: (...args: never[]) => Promise<unknown> };

export interface ContractMethod {
  /**
   * True when calling twice has the effect of calling once (reads, upserts by key). Only such
   * methods are retried after a failure and answered from the last good answer when the module
   * is down: repeating anything else could apply it twice.
   */
  idempotent: boolean;
  /**
   * The method's arguments as the JSON array a remote call posts (a TypeBox tuple). A call from
   * another process is checked against it before the implementation runs: the implementation
   * trusts its TypeScript signature, which the network does not enforce.
   */
  args: TSchema;
  /**
   * What the method answers. A caller in another process checks each answer against it: a module
   * of another release that answers differently is reported there, not as a crash deeper in.
   */
  returns: TSchema;
}

export type ContractMethods<Api> = { readonly [Name in keyof Api & string]: ContractMethod };

/** `getPublicProfiles` → `get-public-profiles`: URLs stay kebab-case like every other route. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

const MODULE_NAME = /^[a-z][a-z0-9-]*$/;
const METHOD_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;

/** The internal route of one contract method, e.g. `/internal/v1/users/get-public-profiles`. */
export function contractPath(module: string, method: string): string {
  if (!MODULE_NAME.test(module)) throw new Error(`"${module}" is not a module name`);
  if (!METHOD_NAME.test(method)) throw new Error(`"${method}" cannot be a contract method name`);
  return `/internal/v1/${module}/${kebabCase(method)}`;
}

export function methodNames<Api>(methods: ContractMethods<Api>): (keyof Api & string)[] {
  const names = Object.keys(methods) as (keyof Api & string)[];
  if (names.length === 0) throw new Error('a contract needs at least one method');
  return names;
}
