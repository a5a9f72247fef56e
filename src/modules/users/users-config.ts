// The users module's settings: how long an access token lives, the admin account created at
// start-up, and the abuse limits on sign-in and registration.
import { ConfigError, type EnvReader } from '../../platform/config/env-reader.js';

/** A limit of `max` attempts per client address per window; a `max` of 0 turns it off. */
export interface AttemptLimit {
  max: number;
  windowMs: number;
}

export interface UsersConfig {
  accessTokenTtlSeconds: number;
  admin: { email: string; password: string } | null;
  limits: {
    /** Failed sign-ins per client address and account. */
    login: AttemptLimit;
    /** Failed sign-ins per client address, all accounts together (same window as `login`). */
    loginAddress: AttemptLimit;
    /** Registrations per client address. */
    registration: AttemptLimit;
  };
}

export function readUsersConfig(env: EnvReader): UsersConfig {
  const loginWindowMs = env.integer('LOGIN_RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000);
  return {
    accessTokenTtlSeconds: env.integer('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86_400),
    admin: adminAccount(env),
    limits: {
      login: { max: env.integer('LOGIN_RATE_LIMIT_MAX', 10, 0, 1_000_000), windowMs: loginWindowMs },
      loginAddress: { max: env.integer('LOGIN_ADDRESS_RATE_LIMIT_MAX', 30, 0, 1_000_000), windowMs: loginWindowMs },
      registration: {
        max: env.integer('REGISTRATION_RATE_LIMIT_MAX', 20, 0, 1_000_000),
        windowMs: env.integer('REGISTRATION_RATE_LIMIT_WINDOW_MS', 3_600_000, 1000, 86_400_000),
      },
    },
  };
}

function adminAccount(env: EnvReader): UsersConfig['admin'] {
  const email = env.email('ADMIN_EMAIL');
  const password = env.raw('ADMIN_PASSWORD');
  if (email === null && password === null) return null;
  if (email === null) throw new ConfigError('ADMIN_EMAIL must be set together with ADMIN_PASSWORD');
  if (password === null) throw new ConfigError('ADMIN_PASSWORD must be set together with ADMIN_EMAIL');
  if (password.length < 8 || password.length > 128) throw new ConfigError('ADMIN_PASSWORD must be 8 to 128 characters long');
  return { email, password };
}
