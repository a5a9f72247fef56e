// Short-lived signed tokens one module presents when it calls another across the network. The
// internal routes are reachable by anything on the network, so each call proves it comes from this
// system (signed with the shared SERVICE_TOKEN_SECRET), is addressed to the module it reaches (a
// token stolen from calls to one module opens no other), and expires quickly (a leaked token is
// worth seconds). Only HS256 is accepted: "alg: none" and algorithm swaps are refused.
import { createSigner, createVerifier } from 'fast-jwt';

export const SERVICE_TOKEN_ISSUER = 'shop';
export const DEFAULT_SERVICE_TOKEN_TTL_SECONDS = 60;
/** Tokens claiming to live longer are refused even when well signed: short-lived means short. */
export const MAX_SERVICE_TOKEN_TTL_SECONDS = 300;

export class InvalidServiceTokenError extends Error {
  override name = 'InvalidServiceTokenError';
}

export interface ServiceTokenClaims {
  /** The calling module. */
  caller: string;
  /** The module called: the only one that accepts the token. */
  target: string;
  ttlSeconds?: number;
}

export function signServiceToken(
  secret: string,
  { caller, target, ttlSeconds = DEFAULT_SERVICE_TOKEN_TTL_SECONDS }: ServiceTokenClaims,
): string {
  if (!secret) throw new Error('a service token needs a secret');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_SERVICE_TOKEN_TTL_SECONDS) {
    throw new Error(`a service token lives 1 to ${MAX_SERVICE_TOKEN_TTL_SECONDS} seconds (got ${ttlSeconds})`);
  }
  const iat = Math.floor(Date.now() / 1000);
  const sign = createSigner({ key: secret, algorithm: 'HS256' });
  return sign({ iss: SERVICE_TOKEN_ISSUER, sub: caller, aud: target, iat, exp: iat + ttlSeconds });
}

/** The calling module's name, when the token is valid and addressed to `expectedTarget`. */
export function verifyServiceToken(secret: string, token: string, expectedTarget: string): string {
  if (!secret) throw new Error('verifying a service token needs a secret');
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedIss: SERVICE_TOKEN_ISSUER,
    requiredClaims: ['iss', 'sub', 'aud', 'iat', 'exp'],
  });
  let claims: Record<string, unknown>;
  try {
    claims = verify(token) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidServiceTokenError(error instanceof Error ? error.message : 'invalid service token');
  }
  const { sub, aud, iat, exp } = claims;
  // Checked here rather than with fast-jwt's allowedAud, which accepts an audience list that
  // contains the target: a service token is addressed to exactly one module.
  if (aud !== expectedTarget) throw new InvalidServiceTokenError('the token is not addressed to this module alone');
  if (typeof sub !== 'string' || sub.length === 0) throw new InvalidServiceTokenError('the token names no caller');
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > MAX_SERVICE_TOKEN_TTL_SECONDS) {
    throw new InvalidServiceTokenError('the token lives longer than a service token may');
  }
  return sub;
}
