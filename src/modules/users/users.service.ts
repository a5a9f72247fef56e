// The users module's use cases. HTTP-free: routes translate requests into these calls.
import { uniqueViolation } from '../../platform/db/errors.js';
import { HttpProblem, problem } from '../../platform/http/problem.js';
import type { AuthenticatedUser } from '../../platform/http/auth.js';
import type { ModuleContext } from '../../platform/modules/module-definition.js';
import {
  findUserByEmail,
  findUserById,
  insertAddress,
  insertUser,
  insertUserIfEmailFree,
  listAddresses,
  updateUser,
} from './db/users.repository.js';
import type { UserRow } from './db/schema.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './domain/passwords.js';
import { signInRefusal, usernameFromEmail, type UserStatus } from './domain/user.js';
import { UsersEvents } from './api.js';
import type { SortKey } from '../../platform/http/pagination.js';

export type UsersService = ReturnType<typeof createUsersService>;

/** A wrong current password: a guess at the password, limited like a failed sign-in. */
export class IncorrectCurrentPassword extends HttpProblem {
  constructor() {
    super(403, 'The current password is incorrect');
  }
}

export function createUsersService(context: ModuleContext) {
  const { db, transaction, logger } = context;

  /** Runs `write`, answering 409 when it hits the unique email or username of another account. */
  async function refusingTaken<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === null) throw error;
      throw problem.conflict(constraint === 'users_username_key' ? 'This username is already taken' : 'This email is already registered');
    }
  }

  async function register(input: { email: string; username: string; password: string }): Promise<UserRow> {
    const passwordHash = await hashPassword(input.password);
    return refusingTaken(() =>
      transaction(async (tx, publish) => {
        const user = await insertUser(tx, { email: input.email, username: input.username, passwordHash, role: 'customer' });
        await publish(UsersEvents.userRegistered, { userId: user.id, email: user.email, username: user.username });
        return user;
      }),
    );
  }

  /** The user behind a correct email and password; the same 401 for an unknown email or a wrong password. */
  async function authenticate(email: string, password: string): Promise<UserRow> {
    const user = await findUserByEmail(db, email);
    const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDecoy(password);
    if (!user || !valid) throw problem.unauthorized('The email or password is incorrect');
    const refusal = signInRefusal(user.status);
    if (refusal) throw problem.forbidden(refusal);
    return user;
  }

  /** The user the caller may see: themselves, or anyone for an admin; others look absent. */
  async function getVisible(caller: AuthenticatedUser, id: string): Promise<UserRow> {
    const user = caller.sub === id || caller.role === 'admin' ? await findUserById(db, id) : null;
    if (!user) throw problem.notFound('No such user');
    return user;
  }

  async function update(
    caller: AuthenticatedUser,
    id: string,
    { currentPassword, ...changes }: { email?: string; username?: string; currentPassword?: string },
  ): Promise<UserRow> {
    const target = await getVisible(caller, id);
    if (changes.email !== undefined && changes.email !== target.email) await reauthenticate(caller, currentPassword);
    return refusingTaken(() =>
      transaction(async (tx, publish) => {
        const user = await updateUser(tx, id, changes);
        if (!user) throw problem.notFound('No such user');
        await publish(UsersEvents.userUpdated, { userId: user.id, username: user.username, email: user.email });
        return user;
      }),
    );
  }

  // The email is how an account is recovered and signed into: moving it takes the password of
  // whoever asks (the user, or the admin acting), so a stolen token alone cannot take the account.
  async function reauthenticate(caller: AuthenticatedUser, currentPassword: string | undefined): Promise<void> {
    if (currentPassword === undefined) {
      throw problem.badRequest('Changing the email requires your current password', [
        { path: 'currentPassword', message: 'is required to change the email' },
      ]);
    }
    const self = await findUserById(db, caller.sub);
    if (!self || !(await verifyPassword(self.passwordHash, currentPassword))) {
      throw new IncorrectCurrentPassword();
    }
  }

  async function changeStatus(id: string, status: UserStatus): Promise<UserRow> {
    return transaction(async (tx, publish) => {
      const user = await updateUser(tx, id, { status });
      if (!user) throw problem.notFound('No such user');
      await publish(UsersEvents.userStatusChanged, { userId: user.id, status: user.status });
      return user;
    });
  }

  async function addAddress(
    caller: AuthenticatedUser,
    userId: string,
    address: { street: string; city: string; zipCode: string; country: string },
  ) {
    if (caller.sub !== userId) {
      // To customers another account looks absent (404); an admin, who may see it, is refused.
      await getVisible(caller, userId);
      throw problem.forbidden('Only the user may add their addresses');
    }
    return insertAddress(db, { userId, ...address });
  }

  async function addresses(caller: AuthenticatedUser, userId: string, limit: number, after: SortKey | null) {
    await getVisible(caller, userId);
    return listAddresses(db, userId, limit, after);
  }

  /** Creates the admin from ADMIN_EMAIL/ADMIN_PASSWORD once; replicas starting together are fine. */
  async function bootstrapAdmin(admin: { email: string; password: string }): Promise<void> {
    if (await findUserByEmail(db, admin.email)) return;
    const passwordHash = await hashPassword(admin.password);
    const created = await transaction(async (tx, publish) => {
      const user = await insertUserIfEmailFree(tx, {
        email: admin.email,
        username: `${usernameFromEmail(admin.email).slice(0, 25)}_${Math.random().toString(36).slice(2, 8)}`,
        passwordHash,
        role: 'admin',
      });
      if (user) await publish(UsersEvents.userRegistered, { userId: user.id, email: user.email, username: user.username });
      return user;
    });
    if (created) logger.info({ userId: created.id, email: created.email }, 'bootstrap admin created');
  }

  return { register, authenticate, getVisible, update, changeStatus, addAddress, addresses, bootstrapAdmin };
}
