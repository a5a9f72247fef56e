// Events the users module publishes. Consumers import these types from the module's index.ts.
export const USERS_EVENTS = {
  userRegistered: 'users.user-registered',
  userUpdated: 'users.user-updated',
  userStatusChanged: 'users.user-status-changed',
} as const;

export interface UserRegistered {
  userId: string;
  email: string;
  username: string;
}

export interface UserUpdated {
  userId: string;
  username: string;
  email: string;
}

export interface UserStatusChanged {
  userId: string;
  status: 'active' | 'inactive' | 'suspended';
}
