import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { registerAndLogin } from '../../../../test/support/users.js';

describe('smoke', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('registers and reads own profile', async () => {
    const user = await registerAndLogin(app.server);
    const me = await app.server.inject({ url: '/api/v1/users/me', headers: user.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe(user.email);
  });
});
