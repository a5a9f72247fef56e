import { createDecoder, createSigner } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait-for.js';
import { InvalidServiceTokenError, signServiceToken, verifyServiceToken } from './service-token.js';

const SECRET = 'service-token-secret-for-tests-0123456789';
const decode = createDecoder();
const now = () => Math.floor(Date.now() / 1000);

function forge(claims: Record<string, unknown>, { key = SECRET, algorithm = 'HS256' as const } = {}) {
  return createSigner({ key, algorithm, noTimestamp: true })(claims);
}

const validClaims = () => ({ iss: 'shop', sub: 'orders', aud: 'products', iat: now(), exp: now() + 60 });

describe('service tokens', () => {
  it('signs a token that names caller and target, expires after its ttl, and verifies to the caller', () => {
    const token = signServiceToken(SECRET, { caller: 'orders', target: 'products', ttlSeconds: 30 });
    const claims = decode(token);
    expect(claims).toMatchObject({ iss: 'shop', sub: 'orders', aud: 'products' });
    expect(claims.exp - claims.iat).toBe(30);
    expect(verifyServiceToken(SECRET, token, 'products')).toBe('orders');
  });

  it('lives 60 seconds by default', () => {
    const claims = decode(signServiceToken(SECRET, { caller: 'orders', target: 'products' }));
    expect(claims.exp - claims.iat).toBe(60);
  });

  it('refuses a token once its ttl has passed', async () => {
    const token = signServiceToken(SECRET, { caller: 'orders', target: 'products', ttlSeconds: 1 });
    expect(verifyServiceToken(SECRET, token, 'products')).toBe('orders');
    await waitFor(
      async () => {
        try {
          verifyServiceToken(SECRET, token, 'products');
          return false;
        } catch (error) {
          return error instanceof InvalidServiceTokenError;
        }
      },
      { timeoutMs: 5000, what: 'the token to expire' },
    );
  });

  it('refuses an expired token', () => {
    const token = forge({ ...validClaims(), iat: now() - 120, exp: now() - 60 });
    expect(() => verifyServiceToken(SECRET, token, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses a token addressed to another module', () => {
    const token = signServiceToken(SECRET, { caller: 'orders', target: 'users' });
    expect(() => verifyServiceToken(SECRET, token, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses a token addressed to several modules, even if one is this module', () => {
    const token = forge({ ...validClaims(), aud: ['products', 'users'] });
    expect(() => verifyServiceToken(SECRET, token, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses a token from another issuer', () => {
    const token = forge({ ...validClaims(), iss: 'someone-else' });
    expect(() => verifyServiceToken(SECRET, token, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses a token signed with another secret', () => {
    const token = signServiceToken('another-secret-of-sufficient-length-000', { caller: 'orders', target: 'products' });
    expect(() => verifyServiceToken(SECRET, token, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses a token signed with another algorithm, even with the right secret', () => {
    const token = forge(validClaims(), { algorithm: 'HS512' as 'HS256' });
    expect(() => verifyServiceToken(SECRET, token, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses an unsigned token (alg none)', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(validClaims())).toString('base64url');
    expect(() => verifyServiceToken(SECRET, `${header}.${payload}.`, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses a token whose claims were altered after signing', () => {
    const [header, , signature] = signServiceToken(SECRET, { caller: 'orders', target: 'users' }).split('.');
    const payload = Buffer.from(JSON.stringify(validClaims())).toString('base64url');
    expect(() => verifyServiceToken(SECRET, `${header}.${payload}.${signature}`, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses a token without a caller', () => {
    const { sub: _sub, ...withoutCaller } = validClaims();
    expect(() => verifyServiceToken(SECRET, forge(withoutCaller), 'products')).toThrow(InvalidServiceTokenError);
  });

  it('refuses a well-signed token that claims a long life', () => {
    const token = forge({ ...validClaims(), exp: now() + 24 * 3600 });
    expect(() => verifyServiceToken(SECRET, token, 'products')).toThrow(InvalidServiceTokenError);
  });

  it('will not sign a long-lived token', () => {
    expect(() => signServiceToken(SECRET, { caller: 'orders', target: 'products', ttlSeconds: 3600 })).toThrow(/1 to 300 seconds/);
  });
});
