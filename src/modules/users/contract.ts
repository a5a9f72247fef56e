// What other modules may ask the users module. Shaped for a network: batched, plain data.
import { Type } from 'typebox';
import type { ContractMethods } from '../../platform/remote/contract-methods.js';

export interface PublicProfile {
  id: string;
  username: string;
}

export interface UsersApi {
  /** Profiles of the given users; unknown ids are simply absent from the answer. */
  getPublicProfiles(ids: readonly string[]): Promise<PublicProfile[]>;
}

// A bounded batch: one call names the users of a page of orders, not the whole table.
const UserIds = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 });

/** The contract as served to other processes: how each method may be repeated, what it takes. */
export const usersContractMethods: ContractMethods<UsersApi> = {
  getPublicProfiles: { idempotent: true, args: Type.Tuple([UserIds]) },
};
