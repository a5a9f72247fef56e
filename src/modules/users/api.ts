// The users module's published language: the events it publishes and the contract it offers, with
// the schemas of the data that crosses them. Other modules import this file only; it imports
// nothing of the module's internals.
import { Type, type Static } from 'typebox';
import { defineEvent, type EventData } from '../../platform/events/event-definition.js';
import { defineContract } from '../../platform/remote/contract-definition.js';

const UserId = Type.String({ format: 'uuid' });
const Email = Type.String({ format: 'email', maxLength: 254 });
const Username = Type.String({ minLength: 1, maxLength: 64 });

export const UsersEvents = {
  userRegistered: defineEvent('users.user-registered', Type.Object({ userId: UserId, email: Email, username: Username })),
  userUpdated: defineEvent('users.user-updated', Type.Object({ userId: UserId, username: Username, email: Email })),
  userStatusChanged: defineEvent(
    'users.user-status-changed',
    Type.Object({ userId: UserId, status: Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('suspended')]) }),
  ),
} as const;

export type UserRegistered = EventData<typeof UsersEvents.userRegistered>;
export type UserUpdated = EventData<typeof UsersEvents.userUpdated>;
export type UserStatusChanged = EventData<typeof UsersEvents.userStatusChanged>;

const PublicProfileSchema = Type.Object({ id: UserId, username: Username });
export type PublicProfile = Static<typeof PublicProfileSchema>;

/** What other modules may ask the users module. Shaped for a network: batched, plain data. */
export interface UsersApi {
  /** Profiles of the given users; unknown ids are simply absent from the answer. */
  getPublicProfiles(ids: readonly string[]): Promise<PublicProfile[]>;
}

// A bounded batch: one call names the users of a page of orders, not the whole table.
const UserIds = Type.Array(UserId, { maxItems: 100 });

/** The contract as other processes call it: how each method may be repeated, what it takes and answers. */
export const UsersContract = defineContract<UsersApi>('users', {
  getPublicProfiles: { idempotent: true, args: Type.Tuple([UserIds]), returns: Type.Array(PublicProfileSchema) },
});
