// users.user-updated: keep the local copy of the customer's username current.
import { on } from '../../../platform/modules/module-definition.js';
import { UsersEvents } from '../../users/api.js';
import { copyUsername } from './username-copy.js';

export const userUpdated = on(UsersEvents.userUpdated, 'user-updated', copyUsername);
