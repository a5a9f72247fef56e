// Module boundaries hold at the database too: each module's pool runs as a role that can use only
// its own schema (and the job queue).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleRole } from '../src/platform/db/module-roles.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin } from './support/users.js';

describe('module database roles', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await registerAndLogin(app.server); // a row to read, so an allowed read returns something
  });
  afterAll(() => app.close());

  const asRole = async (role: string, text: string) => {
    const sql = postgres(app.databaseUrl, { max: 1, onnotice: () => {}, connection: { role } });
    try {
      return await sql.unsafe(text);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };

  it('lets the users role read its own schema', async () => {
    expect((await asRole(moduleRole('users'), 'select count(*)::int as n from users.users'))[0]).toEqual({ n: 1 });
  });

  it('refuses the orders role any read of the users schema', async () => {
    await expect(asRole(moduleRole('orders'), 'select * from users.users')).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses the users role writes into the orders schema', async () => {
    await expect(asRole(moduleRole('users'), 'delete from orders.inbox')).rejects.toMatchObject({ code: '42501' });
  });
});
