// users.user-registered: start the local copy of the customer's username (used when the users
// module cannot answer).
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import type { USERS_EVENTS } from '../../users/index.js';
import { copyUsername } from './username-copy.js';

export const userRegistered: ModuleSubscription = {
  name: 'user-registered',
  pattern: 'users.user-registered' satisfies (typeof USERS_EVENTS)['userRegistered'],
  handler: copyUsername,
};
