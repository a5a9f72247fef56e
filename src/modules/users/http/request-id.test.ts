// Every response carries x-request-id: the caller's when it sent a valid one, else a new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { newUserInput, registerAndLogin, startGuardedApp, type Injector } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';

describe('x-request-id on users routes', () => {
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => ({ app, client } = await startGuardedApp()));
  afterAll(() => app.close());

  it('echoes a valid request id the caller sent', async () => {
    const user = await registerAndLogin(client);
    const response = await client.inject({ url: '/api/v1/users/me', headers: { ...user.auth, 'x-request-id': 'caller-id.42:abc_DEF' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('caller-id.42:abc_DEF');
  });

  it('generates a UUID when the caller sent none', async () => {
    const response = await client.inject({ method: 'POST', url: '/api/v1/users', payload: newUserInput() });
    expect(response.statusCode).toBe(201);
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('generates a different id for every request', async () => {
    const first = await client.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.com', password: 'some-password' } });
    const second = await client.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.com', password: 'some-password' } });
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it.each([
    ['one with a space', 'has space'],
    ['one with a backslash', 'id\\with-backslash'],
    ['one longer than 128 characters', 'a'.repeat(129)],
    ['an empty one', ''],
  ])('replaces %s with a generated UUID', async (_case, sent) => {
    const response = await client.inject({ method: 'POST', url: '/api/v1/users', headers: { 'x-request-id': sent }, payload: newUserInput() });
    expect(response.statusCode).toBe(201);
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('carries the id on error answers too', async () => {
    const validation = await client.inject({ method: 'POST', url: '/api/v1/users', headers: { 'x-request-id': 'bad-input-1' }, payload: {} });
    expect(validation.statusCode).toBe(400);
    expect(validation.headers['x-request-id']).toBe('bad-input-1');
    const unauthorized = await client.inject({ url: '/api/v1/users/me', headers: { 'x-request-id': 'no-token-1' } });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers['x-request-id']).toBe('no-token-1');
  });
});
