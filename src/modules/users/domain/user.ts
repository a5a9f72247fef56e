// The user as the users module sees it, and the rules that need no database.
export const USER_STATUSES = ['active', 'inactive', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export type Role = 'customer' | 'admin';

export interface User {
  id: string;
  email: string;
  username: string;
  role: Role;
  status: UserStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** What the API shows of a user: never the password hash. */
export function toUserView(user: User) {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    role: user.role,
    status: user.status,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

/** Why a user may not sign in, or null when they may. */
export function signInRefusal(status: UserStatus): string | null {
  if (status === 'suspended') return 'This account is suspended';
  if (status === 'inactive') return 'This account is inactive';
  return null;
}

/** A username made from an email, for accounts created without one (the bootstrap admin). */
export function usernameFromEmail(email: string): string {
  const local = email.split('@')[0]?.toLowerCase().replace(/[^a-z0-9_]/g, '_') ?? '';
  return (local.length >= 3 ? local : `${local}___`).slice(0, 32);
}
