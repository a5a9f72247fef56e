import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { SAFE_PRODUCTION_ENV } from '../test/support/production-env.js';

describe('loadConfig', () => {
  it('defaults to every module, port 3000 on loopback and the embedded database', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: null, env: 'development', remoteModules: {} });
    expect(config.modules).toContain('users');
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it('listens on all interfaces in production', () => {
    expect(loadConfig(SAFE_PRODUCTION_ENV).host).toBe('0.0.0.0');
  });

  it('refuses to start in production with /metrics open: it needs METRICS_TOKEN or METRICS_PORT', () => {
    const { METRICS_TOKEN: _omitted, ...open } = SAFE_PRODUCTION_ENV;
    expect(() => loadConfig(open)).toThrow(ConfigError);
    expect(() => loadConfig(open)).toThrow(/^METRICS_TOKEN or METRICS_PORT is required when NODE_ENV=production/);
    expect(loadConfig({ ...open, METRICS_PORT: '9464' }).http.metrics).toEqual({ token: null, port: 9464 });
    expect(loadConfig(SAFE_PRODUCTION_ENV).http.metrics.token).toBe(SAFE_PRODUCTION_ENV.METRICS_TOKEN);
  });

  it('parses REMOTE_MODULES with several instances and a weight', () => {
    const config = loadConfig({ REMOTE_MODULES: 'users=http://a:3000|http://b:3000/@25' });
    expect(config.remoteModules).toEqual({ users: { urls: ['http://a:3000', 'http://b:3000'], weight: 25 } });
  });

  it.each([
    [{ PORT: '70000' }, /^PORT /],
    [{ SHUTDOWN_TIMEOUT_MS: '1.5' }, /^SHUTDOWN_TIMEOUT_MS /],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET must be at least 32 characters/],
    [{ ADMIN_EMAIL: 'admin@example.com' }, /^ADMIN_PASSWORD must be set/],
    [{ MODULES: 'users,users' }, /^MODULES lists a module twice/],
    [{ REMOTE_MODULES: 'users=ftp://x' }, /^REMOTE_MODULES has an invalid URL/],
    [{ REMOTE_MODULES: 'users' }, /^REMOTE_MODULES entries must look like/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
