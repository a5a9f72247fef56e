// The process as a user runs it: `src/main.ts` in a child process, configured by environment.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTypeScript, type Child } from './support/child-process.js';
import { freePort } from './support/free-port.js';
import { SAFE_PRODUCTION_ENV } from './support/production-env.js';
import { createTestDatabase } from './support/test-database.js';

const children: Child[] = [];
const start = (env: Record<string, string>) => {
  const child = runTypeScript('src/main.ts', [], { NODE_ENV: 'development', LOG_LEVEL: 'info', ...env });
  children.push(child);
  return child;
};

afterAll(() => children.forEach((child) => child.kill()));

describe('start-up', () => {
  it.each([
    ['PORT', 'not-a-port', /^error: PORT must be a number from 0 to 65535 \(got "not-a-port"\)$/],
    ['DATABASE_URL', 'mysql://somewhere/db', /^error: DATABASE_URL must be a postgres:\/\/ connection string/],
    ['MODULES', 'users,inventory', /^error: MODULES names an unknown module "inventory"/],
    ['LOG_LEVEL', 'loud', /^error: LOG_LEVEL must be one of/],
  ])('refuses a bad %s with one line naming it and a non-zero exit', async (name, value, message) => {
    const child = start({ [name]: value });
    const code = await child.exited;
    const lines = child.output().trim().split('\n');
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('refuses to start in production without the secrets', async () => {
    const child = start({ NODE_ENV: 'production', DATABASE_URL: 'postgres://localhost:1/none' });
    expect(await child.exited).not.toBe(0);
    expect(child.output().trim()).toBe('error: JWT_SECRET is required when NODE_ENV=production');
  });

  it('writes nothing to DATA_DIR in production when the secrets and the database are given', async () => {
    const port = await freePort();
    const child = start({
      ...SAFE_PRODUCTION_ENV,
      DATABASE_URL: await createTestDatabase(),
      HOST: '127.0.0.1',
      PORT: String(port),
      // A folder that cannot be made (its parent is a file): any write there fails start-up.
      DATA_DIR: '/dev/null/shop-data',
      SHUTDOWN_DRAIN_MS: '0',
    });
    await child.waitForOutput(/shop listening on/);
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  });

  it('serves only the hosted modules with MODULES=users, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-secrets-')); // only secrets.json lands there
    const child = start({ DATABASE_URL: await createTestDatabase(), PORT: String(port), MODULES: 'users', DATA_DIR: dataDir });
    await child.waitForOutput(/shop listening on/);
    const base = `http://127.0.0.1:${port}`;

    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/users/me`)).status).toBe(401);
    const register = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'startup@example.com', username: 'startup_user', password: 'long-enough' }),
    });
    expect(register.status).toBe(201);
    expect((await fetch(`${base}/api/v1/products`)).status).toBe(404);

    child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.output()).toMatch(/"msg":"stopped"/);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs on an embedded PostgreSQL in DATA_DIR when DATABASE_URL is unset, and stops it on exit', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-start-'));
    await chmod(dataDir, 0o755);
    try {
      const port = await freePort();
      const child = start({ DATA_DIR: dataDir, PORT: String(port) });
      await child.waitForOutput(/shop listening on/, 60_000);
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);

      child.kill('SIGINT');
      expect(await child.exited).toBe(0);
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
