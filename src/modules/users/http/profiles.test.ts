// Reading and changing profiles: GET /users/me, GET /users/:id, PATCH /users/:id.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { expectProblem, newUserInput, registerAndLogin, startAppWithAdmin, TEST_ADMIN, type Injector } from '../../../../test/support/users.js';

describe('profiles', () => {
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => ({ app, client, admin } = await startAppWithAdmin()));
  afterAll(() => app.close());

  const patch = (id: string, auth: { authorization: string }, payload: unknown) =>
    client.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: auth, payload: payload as object });

  describe('GET /api/v1/users/me', () => {
    it('answers 200 with the caller’s own profile', async () => {
      const user = await registerAndLogin(client);
      const response = await client.inject({ url: '/api/v1/users/me', headers: user.auth });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: user.id,
        email: user.email,
        username: user.username,
        role: 'customer',
        status: 'active',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('shows the admin role to the admin', async () => {
      const response = await client.inject({ url: '/api/v1/users/me', headers: admin });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ email: TEST_ADMIN.email, role: 'admin', status: 'active' });
    });
  });

  describe('GET /api/v1/users/:id', () => {
    it('answers 200 with the profile to the user themselves', async () => {
      const user = await registerAndLogin(client);
      const response = await client.inject({ url: `/api/v1/users/${user.id}`, headers: user.auth });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: user.id, email: user.email, username: user.username });
    });

    it('answers 200 with any profile to an admin', async () => {
      const user = await registerAndLogin(client);
      const response = await client.inject({ url: `/api/v1/users/${user.id}`, headers: admin });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: user.id, email: user.email, role: 'customer' });
    });

    it('answers 404 to a customer asking for another user’s profile, the same as for an unknown id', async () => {
      const user = await registerAndLogin(client);
      const other = await registerAndLogin(client);
      const someoneElse = await client.inject({ url: `/api/v1/users/${other.id}`, headers: user.auth });
      const unknown = await client.inject({ url: `/api/v1/users/${randomUUID()}`, headers: user.auth });
      expect(expectProblem(someoneElse, 404).detail).toBe(expectProblem(unknown, 404).detail);
      expect(someoneElse.body).not.toContain(other.email);
    });

    it('answers 404 to an admin asking for an unknown id', async () => {
      expectProblem(await client.inject({ url: `/api/v1/users/${randomUUID()}`, headers: admin }), 404);
    });

    it('answers 400 naming the id when it is not a UUID', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await client.inject({ url: '/api/v1/users/not-a-uuid', headers: user.auth }), 400, ['params.id']);
    });
  });

  describe('PATCH /api/v1/users/:id', () => {
    it('changes the caller’s username and email and answers 200 with the new profile', async () => {
      const user = await registerAndLogin(client);
      const next = newUserInput();
      const response = await patch(user.id, user.auth, { username: next.username, email: next.email, currentPassword: user.password });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ id: user.id, username: next.username, email: next.email, role: 'customer', status: 'active' });
      expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(body.createdAt));
      const me = await client.inject({ url: '/api/v1/users/me', headers: user.auth });
      expect(me.json()).toMatchObject({ username: next.username, email: next.email });
    });

    it('changes only the field that was sent', async () => {
      const user = await registerAndLogin(client);
      const next = newUserInput();
      const response = await patch(user.id, user.auth, { username: next.username });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ username: next.username, email: user.email });
    });

    it('lower-cases and trims a new email and trims a new username', async () => {
      const user = await registerAndLogin(client);
      const next = newUserInput();
      const response = await patch(user.id, user.auth, { email: ` ${next.email.toUpperCase()}  `, username: `  ${next.username} `, currentPassword: user.password });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ email: next.email, username: next.username });
    });

    it('signs the user in with the new email, and no longer with the old one', async () => {
      const user = await registerAndLogin(client);
      const next = newUserInput();
      expect((await patch(user.id, user.auth, { email: next.email, currentPassword: user.password })).statusCode).toBe(200);
      const login = (email: string) => client.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: user.password } });
      expect((await login(next.email)).statusCode).toBe(200);
      expectProblem(await login(user.email), 401);
    });

    it('accepts the caller’s own current username and email unchanged', async () => {
      const user = await registerAndLogin(client);
      const response = await patch(user.id, user.auth, { username: user.username, email: user.email.toUpperCase() });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ username: user.username, email: user.email });
    });

    it('refuses to change the email without the current password, with 400 naming currentPassword, and changes nothing', async () => {
      const user = await registerAndLogin(client);
      const body = expectProblem(await patch(user.id, user.auth, { email: newUserInput().email }), 400, ['currentPassword']);
      expect(body.detail).toBe('Changing the email requires your current password');
      const me = await client.inject({ url: '/api/v1/users/me', headers: user.auth });
      expect(me.json().email).toBe(user.email);
    });

    it('refuses a wrong current password with 403 and changes nothing: a stolen token alone cannot move the account', async () => {
      const user = await registerAndLogin(client);
      const next = newUserInput();
      const body = expectProblem(await patch(user.id, user.auth, { email: next.email, username: next.username, currentPassword: 'not-the-password' }), 403);
      expect(body.detail).toBe('The current password is incorrect');
      const me = await client.inject({ url: '/api/v1/users/me', headers: user.auth });
      expect(me.json()).toMatchObject({ email: user.email, username: user.username });
    });

    it('limits guesses at the current password like failed sign-ins: 429 with retry-after after 10', async () => {
      const user = await registerAndLogin(client);
      const guess = () => patch(user.id, user.auth, { email: newUserInput().email, currentPassword: 'a-wrong-guess' });
      for (let attempt = 1; attempt <= 10; attempt++) expectProblem(await guess(), 403);
      const refused = await guess();
      expectProblem(refused, 429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('asks an admin changing another user’s email for the admin’s own password', async () => {
      const user = await registerAndLogin(client);
      const next = newUserInput();
      expectProblem(await patch(user.id, admin, { email: next.email, currentPassword: user.password }), 403);
      const response = await patch(user.id, admin, { email: next.email, currentPassword: TEST_ADMIN.password });
      expect(response.statusCode).toBe(200);
      expect(response.json().email).toBe(next.email);
    });

    it('lets an admin change another user', async () => {
      const user = await registerAndLogin(client);
      const next = newUserInput();
      const response = await patch(user.id, admin, { username: next.username });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: user.id, username: next.username, role: 'customer' });
    });

    it('answers 404 to a customer changing another user, and changes nothing', async () => {
      const user = await registerAndLogin(client);
      const other = await registerAndLogin(client);
      expectProblem(await patch(other.id, user.auth, { username: newUserInput().username }), 404);
      const unchanged = await client.inject({ url: '/api/v1/users/me', headers: other.auth });
      expect(unchanged.json().username).toBe(other.username);
    });

    it('answers 404 for an unknown id', async () => {
      expectProblem(await patch(randomUUID(), admin, { username: newUserInput().username }), 404);
    });

    it('answers 409 when the username is taken', async () => {
      const user = await registerAndLogin(client);
      const other = await registerAndLogin(client);
      const body = expectProblem(await patch(user.id, user.auth, { username: other.username }), 409);
      expect(body.detail).toBe('This username is already taken');
    });

    it('answers 409 when the email is taken, in any letter case', async () => {
      const user = await registerAndLogin(client);
      const other = await registerAndLogin(client);
      const body = expectProblem(await patch(user.id, user.auth, { email: other.email.toUpperCase(), currentPassword: user.password }), 409);
      expect(body.detail).toBe('This email is already registered');
      const me = await client.inject({ url: '/api/v1/users/me', headers: user.auth });
      expect(me.json().email).toBe(user.email);
    });

    it('answers 400 naming the body to an empty body', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await patch(user.id, user.auth, {}), 400, ['body']);
    });

    it.each([
      ['role', 'admin'],
      ['status', 'active'],
      ['password', 'a-new-password'],
      ['id', '00000000-0000-4000-8000-000000000000'],
    ])('rejects the property %s with 400 naming it', async (property, value) => {
      const user = await registerAndLogin(client);
      expectProblem(await patch(user.id, user.auth, { [property]: value }), 400, [property]);
      const me = await client.inject({ url: '/api/v1/users/me', headers: user.auth });
      expect(me.json()).toMatchObject({ role: 'customer', status: 'active', id: user.id });
    });

    it('rejects a malformed email with 400 naming email', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await patch(user.id, user.auth, { email: 'not-an-email' }), 400, ['email']);
    });

    it.each(['ab', 'a'.repeat(33), 'Upper', 'with space', ''])('rejects the username %j with 400 naming username', async (username) => {
      const user = await registerAndLogin(client);
      expectProblem(await patch(user.id, user.auth, { username }), 400, ['username']);
    });

    it('answers 400 naming the id when it is not a UUID', async () => {
      const user = await registerAndLogin(client);
      expectProblem(await patch('12345', user.auth, { username: newUserInput().username }), 400, ['params.id']);
    });
  });
});
