// Production refuses, with one line naming the variable, a configuration anyone could exploit:
// secrets that can be guessed (so tokens can be forged) and a card gateway nobody chose.
import { describe, expect, it } from 'vitest';
import { SAFE_PRODUCTION_ENV } from '../test/support/production-env.js';
import { ConfigError, loadConfig } from './config.js';

const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return null;
};

describe('production configuration', () => {
  it('starts with random secrets and an explicit card gateway', () => {
    expect(refusal(SAFE_PRODUCTION_ENV)).toBeNull();
    expect(loadConfig(SAFE_PRODUCTION_ENV).moduleConfigs.payments).toEqual({ cardGateway: 'simulated', production: true });
  });

  it.each([
    // The values an example compose file or a tutorial would hand out.
    ['JWT_SECRET', 'change-me-change-me-change-me-change-me', /^JWT_SECRET looks like a placeholder \(it contains "change-me"\)/],
    ['SERVICE_TOKEN_SECRET', 'change-me-too-change-me-too-change-me-too', /^SERVICE_TOKEN_SECRET looks like a placeholder/],
    ['JWT_SECRET', 'my-super-secret-jwt-signing-key-for-prod', /^JWT_SECRET looks like a placeholder \(it contains "secret"\)/],
    // Long enough, but guessable.
    ['JWT_SECRET', 'a'.repeat(32), /^JWT_SECRET is too predictable \(about 0 bits of entropy, 128 needed\)/],
    ['JWT_SECRET', 'abababababababababababababababab', /^JWT_SECRET is too predictable/],
    ['SERVICE_TOKEN_SECRET', '0123012301230123012301230123012301230123', /^SERVICE_TOKEN_SECRET is too predictable/],
  ])('refuses %s=%j in one line that says how to make a good one', (name, value, message) => {
    const line = refusal({ ...SAFE_PRODUCTION_ENV, [name]: value });
    expect(line).toMatch(message);
    expect(line).toMatch(/generate one with: openssl rand -base64 48$/);
    expect(line).not.toContain('\n');
  });

  it('refuses the two secrets being equal: a user token must never pass for a service token', () => {
    expect(refusal({ ...SAFE_PRODUCTION_ENV, SERVICE_TOKEN_SECRET: SAFE_PRODUCTION_ENV.JWT_SECRET })).toBe(
      'JWT_SECRET and SERVICE_TOKEN_SECRET must differ: one signs user tokens, the other service tokens',
    );
  });

  it('refuses to start without CARD_GATEWAY, naming it', () => {
    const { CARD_GATEWAY: _omitted, ...env } = SAFE_PRODUCTION_ENV;
    expect(refusal(env)).toBe('CARD_GATEWAY is required when NODE_ENV=production (one of simulated)');
  });

  it('refuses an unknown CARD_GATEWAY', () => {
    expect(refusal({ ...SAFE_PRODUCTION_ENV, CARD_GATEWAY: 'stripe' })).toMatch(/^CARD_GATEWAY must be one of simulated/);
  });

  it('keeps development easy: placeholder secrets and no gateway are accepted outside production', () => {
    const config = loadConfig({ JWT_SECRET: 'change-me-change-me-change-me-change-me' });
    expect(config.moduleConfigs.payments).toEqual({ cardGateway: 'simulated', production: false });
  });

  it('turns the per-client request limit on in production only', () => {
    expect(loadConfig(SAFE_PRODUCTION_ENV).http.rateLimit).toEqual({ max: 1200, windowMs: 60_000 });
    expect(loadConfig({}).http.rateLimit.max).toBe(0);
    expect(loadConfig({ ...SAFE_PRODUCTION_ENV, RATE_LIMIT_MAX: '0' }).http.rateLimit.max).toBe(0);
  });
});
