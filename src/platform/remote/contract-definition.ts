// A module's contract as its published language defines it: the module that offers it and its
// methods (idempotence, argument and answer schemas), typed by the interface. It is data only, so
// that reading a published language loads TypeBox and nothing else: serving a contract to other
// processes (contract-routes.ts) and reaching it in another process (remote-contract.ts) take the
// definition, and the composition root wires contracts through it without ever naming (or casting
// to) an interface: the type travels with the definition.
import type { Contract, ContractMethods } from './contract-methods.js';

export interface ContractDefinition<Api> {
  readonly module: string;
  readonly methods: ContractMethods<Api>;
  /** Whether `value` has every method of the contract: what a hosted module or stand-in offers is checked, not assumed. */
  isImplementedBy(value: unknown): value is Api;
}

export function defineContract<Api extends Contract<Api>>(module: string, methods: ContractMethods<Api>): ContractDefinition<Api> {
  return {
    module,
    methods,
    isImplementedBy: (value): value is Api =>
      typeof value === 'object' && value !== null && Object.keys(methods).every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
  };
}
