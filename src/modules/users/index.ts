// users: accounts, sign-in and addresses; owns the `users` schema.
// Publishes users.user-registered, users.user-updated, users.user-status-changed.
// Offers UsersApi (public profiles by id). Needs no other module.
export { usersModule } from './module.js';
export type { PublicProfile, UsersApi } from './contract.js';
export { USERS_EVENTS } from './events.js';
export type { UserRegistered, UserStatusChanged, UserUpdated } from './events.js';
