// PATCH /api/v1/users/:id/status: admins activate, deactivate and suspend accounts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { expectProblem, registerAndLogin, startAppWithAdmin, type Injector } from '../../../../test/support/users.js';

describe('account status', () => {
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => ({ app, client, admin } = await startAppWithAdmin()));
  afterAll(() => app.close());

  const setStatus = (id: string, auth: { authorization: string }, payload: unknown) =>
    client.inject({ method: 'PATCH', url: `/api/v1/users/${id}/status`, headers: auth, payload: payload as object });

  it.each(['suspended', 'inactive', 'active'])('lets an admin set the status to %s and answers 200 with the user', async (status) => {
    const user = await registerAndLogin(client);
    const response = await setStatus(user.id, admin, { status });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: user.id,
      email: user.email,
      username: user.username,
      role: 'customer',
      status,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const seen = await client.inject({ url: `/api/v1/users/${user.id}`, headers: admin });
    expect(seen.json().status).toBe(status);
  });

  it('answers 403 to a customer, even for their own account, and changes nothing', async () => {
    const user = await registerAndLogin(client);
    const body = expectProblem(await setStatus(user.id, user.auth, { status: 'inactive' }), 403);
    expect(body.detail).toBe('This requires the admin role');
    const me = await client.inject({ url: '/api/v1/users/me', headers: user.auth });
    expect(me.json().status).toBe('active');
  });

  it('answers 403 to a customer changing another user', async () => {
    const user = await registerAndLogin(client);
    const other = await registerAndLogin(client);
    expectProblem(await setStatus(other.id, user.auth, { status: 'suspended' }), 403);
  });

  it('answers 404 for an unknown id', async () => {
    expectProblem(await setStatus(randomUUID(), admin, { status: 'suspended' }), 404);
  });

  it('answers 400 naming the id when it is not a UUID', async () => {
    expectProblem(await setStatus('not-a-uuid', admin, { status: 'suspended' }), 400, ['params.id']);
  });

  it.each([['banned'], ['ACTIVE'], [''], [1]])('rejects the status %j with 400 naming status', async (status) => {
    const user = await registerAndLogin(client);
    expectProblem(await setStatus(user.id, admin, { status }), 400, ['status']);
  });

  it('rejects a missing status with 400 naming status', async () => {
    const user = await registerAndLogin(client);
    expectProblem(await setStatus(user.id, admin, {}), 400, ['status']);
  });

  it('rejects an unknown property with 400 naming it', async () => {
    const user = await registerAndLogin(client);
    expectProblem(await setStatus(user.id, admin, { status: 'active', role: 'admin' }), 400, ['role']);
  });
});
