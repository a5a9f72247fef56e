// Sign-in and registration limits per client address, counted by the platform's shared limiter.
// Failed sign-ins are limited per address and account (guessing one account's password) and per
// address over all accounts (one guess at each of many accounts); only wrong guesses count, so
// someone who knows the password is never slowed down.
import type { UsersConfig } from '../users-config.js';
import { HttpProblem } from '../../../platform/http/problem.js';
import type { Attempt, RateLimiter } from '../../../platform/rate-limit/rate-limiter.js';

const REFUSALS: Record<string, string> = {
  'login-account': 'Too many failed sign-ins for this account',
  'login-address': 'Too many failed sign-ins from this address',
  registration: 'Too many registrations from this address',
};

export interface AbuseLimits {
  /** Counts a sign-in as failed until given back; throws 429 when a limit is reached. */
  startSignIn(clientAddress: string, email: string): Promise<{ notAWrongGuess(): Promise<void> }>;
  /** Counts a registration attempt, whatever its outcome; throws 429 when the limit is reached. */
  countRegistration(clientAddress: string): Promise<void>;
}

export function createAbuseLimits(limiter: RateLimiter, limits: UsersConfig['limits']): AbuseLimits {
  return {
    async startSignIn(clientAddress, email) {
      const attempt = await limiter.attempt(clientAddress, [
        { name: 'login-account', subject: email, ...limits.login },
        { name: 'login-address', ...limits.loginAddress },
      ]);
      return { notAWrongGuess: allowedOrThrow(attempt).giveBack };
    },
    async countRegistration(clientAddress) {
      allowedOrThrow(await limiter.attempt(clientAddress, [{ name: 'registration', ...limits.registration }]));
    },
  };
}

function allowedOrThrow(attempt: Attempt): Extract<Attempt, { allowed: true }> {
  if (attempt.allowed) return attempt;
  throw new HttpProblem(429, `${REFUSALS[attempt.limit]}; retry in ${attempt.retryAfterSeconds} seconds`, {
    headers: { 'retry-after': String(attempt.retryAfterSeconds) },
  });
}
