// A module's contract as its published language defines it: the module that offers it and its
// methods (idempotence, argument and answer schemas), typed by the interface. A module that needs
// it names it in `needs` and gets the implementation, in process or remote, as that interface.
import type { ContractMethods } from './contract-methods.js';

export interface ContractDefinition<Api> {
  readonly module: string;
  readonly methods: ContractMethods<Api>;
}

export function defineContract<Api>(module: string, methods: ContractMethods<Api>): ContractDefinition<Api> {
  return { module, methods };
}
