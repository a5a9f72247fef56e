// users.user-registered: start the local copy of the customer's username (used when the users
// module cannot answer).
import { on } from '../../../platform/modules/module-definition.js';
import { UsersEvents } from '../../users/api.js';
import { copyUsername } from './username-copy.js';

export const userRegistered = on(UsersEvents.userRegistered, 'user-registered', copyUsername);
