// users: accounts, sign-in and addresses; owns the `users` schema. Its published language (events
// and the UsersApi contract) is in api.ts, which is what other modules import; this file is the
// module's definition, for the composition root and the test harness.
export { usersModule } from './module.js';
