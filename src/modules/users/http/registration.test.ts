// POST /api/v1/users: registration, its validation, its conflicts and how the password is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { expectProblem, newUserInput, startGuardedApp, type Injector } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';

describe('registration', () => {
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => ({ app, client } = await startGuardedApp()));
  afterAll(() => app.close());

  const register = (payload: unknown) => client.inject({ method: 'POST', url: '/api/v1/users', payload: payload as object });

  it('creates a customer and answers 201 with the user and nothing more', async () => {
    const input = newUserInput();
    const response = await register(input);
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const user = response.json();
    expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'id', 'role', 'status', 'updatedAt', 'username']);
    expect(user).toEqual({
      id: expect.stringMatching(UUID),
      email: input.email,
      username: input.username,
      role: 'customer',
      status: 'active',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(new Date(user.createdAt).toISOString()).toBe(user.createdAt);
    expect(new Date(user.updatedAt).toISOString()).toBe(user.updatedAt);
  });

  it('lower-cases and trims the email and trims the username', async () => {
    const input = newUserInput();
    const response = await register({ ...input, email: `  ${input.email.toUpperCase()}  `, username: `  ${input.username}  ` });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ email: input.email, username: input.username });
    const [row] = await query<{ email: string; username: string }>(app.databaseUrl, 'select email, username from users.users where id = $1', [response.json().id]);
    expect(row).toEqual({ email: input.email, username: input.username });
  });

  it('stores the password only as an argon2id hash', async () => {
    const input = newUserInput({ password: 'correct horse battery staple' });
    const response = await register(input);
    expect(response.statusCode).toBe(201);
    const [row] = await query<Record<string, unknown>>(app.databaseUrl, 'select * from users.users where id = $1', [response.json().id]);
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain(input.password);
  });

  it('accepts a password of exactly 8 and of exactly 128 characters', async () => {
    expect((await register(newUserInput({ password: 'p'.repeat(8) }))).statusCode).toBe(201);
    expect((await register(newUserInput({ password: 'q'.repeat(128) }))).statusCode).toBe(201);
  });

  it('accepts a username of 3 and of 32 characters made of a-z, 0-9 and _', async () => {
    const suffix = Date.now().toString(36);
    expect((await register(newUserInput({ username: `a${suffix}`.slice(0, 3) }))).statusCode).toBe(201);
    expect((await register(newUserInput({ username: `z_9_${suffix}`.padEnd(32, '0') }))).statusCode).toBe(201);
  });

  it('answers 409 when the email is taken', async () => {
    const input = newUserInput();
    expect((await register(input)).statusCode).toBe(201);
    const again = await register(newUserInput({ email: input.email }));
    const body = expectProblem(again, 409);
    expect(body.detail).toBe('This email is already registered');
  });

  it('answers 409 when the email is taken in another letter case', async () => {
    const input = newUserInput();
    expect((await register(input)).statusCode).toBe(201);
    expectProblem(await register(newUserInput({ email: input.email.toUpperCase() })), 409);
  });

  it('answers 409 when the username is taken', async () => {
    const input = newUserInput();
    expect((await register(input)).statusCode).toBe(201);
    const body = expectProblem(await register(newUserInput({ username: input.username })), 409);
    expect(body.detail).toBe('This username is already taken');
  });

  it('rejects an unknown property, such as a role, with 400 naming it', async () => {
    const input = newUserInput();
    const body = expectProblem(await register({ ...input, role: 'admin' }), 400, ['role']);
    expect(body.errors).toEqual([{ path: 'role', message: 'is not an allowed property' }]);
    const [row] = await query(app.databaseUrl, 'select 1 from users.users where email = $1', [input.email]);
    expect(row).toBeUndefined();
  });

  it.each([
    ['not-an-email', 'email'],
    ['two@@example.com', 'email'],
    ['', 'email'],
    [`${'x'.repeat(250)}@example.com`, 'email'],
  ])('rejects the email %j with 400 naming email', async (email) => {
    expectProblem(await register(newUserInput({ email })), 400, ['email']);
  });

  it.each([
    ['ab', 'too short'],
    ['a'.repeat(33), 'too long'],
    ['Alice', 'upper case'],
    ['al ice', 'a space'],
    ['al-ice', 'a dash'],
    ['   ', 'only blanks'],
  ])('rejects the username %j (%s) with 400 naming username', async (username) => {
    expectProblem(await register(newUserInput({ username })), 400, ['username']);
  });

  it.each([
    ['seven77', 'too short'],
    ['p'.repeat(129), 'too long'],
  ])('rejects the password %j (%s) with 400 naming password', async (password) => {
    expectProblem(await register(newUserInput({ password })), 400, ['password']);
  });

  it('names every missing field', async () => {
    expectProblem(await register({}), 400, ['email', 'username', 'password']);
  });

  it('rejects a field of the wrong type instead of coercing it', async () => {
    expectProblem(await register({ ...newUserInput(), password: 123456789 }), 400, ['password']);
  });

  it('answers 400 problem+json to a body that is not JSON', async () => {
    const response = await client.inject({ method: 'POST', url: '/api/v1/users', headers: { 'content-type': 'application/json' }, payload: '{"email": ' });
    expectProblem(response, 400);
  });

  it('answers 400 to a JSON body that is not an object', async () => {
    const response = await client.inject({ method: 'POST', url: '/api/v1/users', headers: { 'content-type': 'application/json' }, payload: '[]' });
    expectProblem(response, 400);
  });
});
