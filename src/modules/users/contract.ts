// What other modules may ask the users module. Shaped for a network: batched, plain data.
export interface PublicProfile {
  id: string;
  username: string;
}

export interface UsersApi {
  /** Profiles of the given users; unknown ids are simply absent from the answer. */
  getPublicProfiles(ids: readonly string[]): Promise<PublicProfile[]>;
}
