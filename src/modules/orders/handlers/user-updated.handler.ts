// users.user-updated: keep the local copy of the customer's username current.
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import type { USERS_EVENTS } from '../../users/index.js';
import { copyUsername } from './username-copy.js';

export const userUpdated: ModuleSubscription = {
  name: 'user-updated',
  pattern: 'users.user-updated' satisfies (typeof USERS_EVENTS)['userUpdated'],
  handler: copyUsername,
};
