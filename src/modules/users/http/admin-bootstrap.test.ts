// The admin account created at start-up from ADMIN_EMAIL and ADMIN_PASSWORD, once per database.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { createTestDatabase, query } from '../../../../test/support/test-database.js';
import { ADMIN_ENV, guardSecrets, login, newUserInput, TEST_ADMIN } from '../../../../test/support/users.js';

interface UserRow extends Record<string, unknown> {
  id: string;
  email: string;
  username: string;
  role: string;
  status: string;
  password_hash: string;
}

const usersWithEmail = (databaseUrl: string, email: string) =>
  query<UserRow>(databaseUrl, 'select * from users.users where email = $1', [email]);

describe('admin bootstrap', () => {
  // Each test starts the apps it needs (several share one database), all closed after it.
  const apps: TestApp[] = [];
  const start = async (...args: Parameters<typeof startTestApp>) => {
    const app = await startTestApp(...args);
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('creates the admin at start-up with role admin and an argon2id hash', async () => {
    const app = await start({ env: ADMIN_ENV });
    const rows = await usersWithEmail(app.databaseUrl, TEST_ADMIN.email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: TEST_ADMIN.email, role: 'admin', status: 'active' });
    expect(rows[0]!.username).toMatch(/^[a-z0-9_]{3,32}$/);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('lets the admin sign in and see the admin role', async () => {
    const app = await start({ env: ADMIN_ENV });
    const client = guardSecrets(app.server);
    const token = await login(client, TEST_ADMIN.email, TEST_ADMIN.password);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload.role).toBe('admin');
    const me = await client.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: TEST_ADMIN.email, role: 'admin', status: 'active' });
  });

  it('does not create a second admin when another app starts on the same database', async () => {
    const first = await start({ env: ADMIN_ENV });
    const [created] = await usersWithEmail(first.databaseUrl, TEST_ADMIN.email);
    const second = await start({ env: ADMIN_ENV, databaseUrl: first.databaseUrl });
    const rows = await usersWithEmail(first.databaseUrl, TEST_ADMIN.email);
    expect(rows).toEqual([created]);
    const admins = await query(first.databaseUrl, "select id from users.users where role = 'admin'");
    expect(admins).toEqual([{ id: created!.id }]);
    expect(await login(guardSecrets(second.server), TEST_ADMIN.email, TEST_ADMIN.password)).toEqual(expect.any(String));
  });

  it('creates one admin when two apps start on a fresh database at the same moment', async () => {
    const databaseUrl = await createTestDatabase();
    await Promise.all([start({ env: ADMIN_ENV, databaseUrl }), start({ env: ADMIN_ENV, databaseUrl })]);
    expect(await usersWithEmail(databaseUrl, TEST_ADMIN.email)).toHaveLength(1);
  });

  it('stores ADMIN_EMAIL trimmed and lower-cased', async () => {
    const app = await start({ env: { ADMIN_EMAIL: '  Boss@Example.COM ', ADMIN_PASSWORD: TEST_ADMIN.password } });
    expect(await usersWithEmail(app.databaseUrl, 'boss@example.com')).toHaveLength(1);
    expect(await login(guardSecrets(app.server), 'boss@example.com', TEST_ADMIN.password)).toEqual(expect.any(String));
  });

  it('leaves an existing account with that email as it is', async () => {
    const plain = await start();
    const input = newUserInput();
    expect((await guardSecrets(plain.server).inject({ method: 'POST', url: '/api/v1/users', payload: input })).statusCode).toBe(201);
    await start({ env: { ADMIN_EMAIL: input.email, ADMIN_PASSWORD: TEST_ADMIN.password }, databaseUrl: plain.databaseUrl });
    const rows = await usersWithEmail(plain.databaseUrl, input.email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: 'customer', username: input.username });
    expect(await login(guardSecrets(plain.server), input.email, input.password)).toEqual(expect.any(String));
  });

  it('creates no admin when ADMIN_EMAIL and ADMIN_PASSWORD are not set', async () => {
    const app = await start();
    expect(await query(app.databaseUrl, "select id from users.users where role = 'admin'")).toEqual([]);
  });
});
