// A typed stand-in for a contract the module under test needs: named by the provider's contract
// definition (its published language), so the implementation is checked against the very
// interface the real provider implements, and a change to the contract breaks the stand-in at
// compile time instead of letting the test drift from the real module.
import type { ContractDefinition } from '../../src/platform/remote/contract-definition.js';

export interface StandIn {
  /** The module whose contract it replaces. */
  readonly module: string;
  readonly implementation: unknown;
}

/** `standIn(ProductsContract, { getProducts: async (ids) => [...] })`: the type comes from the contract alone. */
export function standIn<Api>(contract: ContractDefinition<Api>, implementation: NoInfer<Api>): StandIn {
  return { module: contract.module, implementation };
}
