// HTTP helpers for tests that need accounts: everything goes through the public API.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

let counter = 0;

/** Anything that answers `inject()` like a Fastify server: the server itself or a guarded client. */
export interface Injector {
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
  token: string;
  auth: { authorization: string };
}

/** The bootstrap admin tests start apps with (`startTestApp({ env: ADMIN_ENV })`). */
export const TEST_ADMIN = { email: 'admin@example.com', password: 'admin-password-0123' };
export const ADMIN_ENV = { ADMIN_EMAIL: TEST_ADMIN.email, ADMIN_PASSWORD: TEST_ADMIN.password };

/** Fresh, valid registration data; unique across the run. */
export function newUserInput(overrides: Partial<{ email: string; username: string; password: string }> = {}) {
  counter += 1;
  const unique = `${process.pid}_${Date.now().toString(36)}_${counter}`;
  return {
    email: overrides.email ?? `user_${unique}@example.com`,
    username: overrides.username ?? `u_${unique}`.slice(0, 32),
    password: overrides.password ?? 'a-good-password',
  };
}

export async function registerAndLogin(server: Injector, overrides: Partial<{ email: string; username: string; password: string }> = {}): Promise<TestUser> {
  const input = newUserInput(overrides);
  const registered = await server.inject({ method: 'POST', url: '/api/v1/users', payload: input });
  if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.statusCode} ${registered.body}`);
  const token = await login(server, input.email, input.password);
  return { ...input, id: registered.json().id, token, auth: { authorization: `Bearer ${token}` } };
}

export async function login(server: Injector, email: string, password: string): Promise<string> {
  const response = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json().accessToken;
}

/** Signs in the bootstrap admin of an app started with ADMIN_ENV. */
export async function loginAdmin(server: Injector): Promise<{ token: string; auth: { authorization: string } }> {
  const token = await login(server, TEST_ADMIN.email, TEST_ADMIN.password);
  return { token, auth: { authorization: `Bearer ${token}` } };
}

/** Starts an app and wraps its server with guardSecrets: `client` is what the tests send requests through. */
export async function startGuardedApp(options: TestAppOptions = {}): Promise<{ app: TestApp; client: Injector }> {
  const app = await startTestApp(options);
  return { app, client: guardSecrets(app.server) };
}

/**
 * Starts an app with the bootstrap admin (ADMIN_ENV, merged under `options.env`) and signs the
 * admin in through `client`: the app's server wrapped by guardSecrets.
 */
export async function startAppWithAdmin(options: TestAppOptions = {}): Promise<{ app: TestApp; client: Injector; admin: { authorization: string } }> {
  const { app, client } = await startGuardedApp({ ...options, env: { ...ADMIN_ENV, ...options.env } });
  try {
    return { app, client, admin: (await loginAdmin(client)).auth };
  } catch (error) {
    await app.close(); // the caller never gets the app to close
    throw error;
  }
}

/**
 * Wraps a server so that every response a test receives through it is checked for leaked
 * secrets: no argon2 hash and none of the passwords sent through it so far, in body or headers.
 * A leak fails the request that caused it.
 */
export function guardSecrets(server: Injector): Injector & { responses: number } {
  const passwords = new Set<string>();
  const guarded = {
    responses: 0,
    async inject(options: InjectOptions): Promise<LightMyRequestResponse> {
      collectPasswords(options.payload, passwords);
      const response = await server.inject(options);
      guarded.responses += 1;
      const seen = `${response.body}\n${JSON.stringify(response.headers)}`;
      if (seen.includes('$argon2')) throw new Error(`response to ${options.method} ${options.url} holds a password hash: ${response.body}`);
      for (const password of passwords) {
        if (seen.includes(password)) throw new Error(`response to ${options.method} ${options.url} holds a password that was sent: ${response.body}`);
      }
      return response;
    },
  };
  return guarded;
}

function collectPasswords(payload: unknown, into: Set<string>): void {
  if (typeof payload === 'string') {
    try {
      collectPasswords(JSON.parse(payload), into);
    } catch {
      // not JSON: nothing to collect
    }
    return;
  }
  if (payload === null || typeof payload !== 'object') return;
  for (const [key, value] of Object.entries(payload)) {
    // Very short strings would match by accident; the tests' passwords are longer.
    if (/password/i.test(key) && typeof value === 'string' && value.length >= 6) into.add(value);
    else collectPasswords(value, into);
  }
}

/**
 * Asserts an RFC 9457 problem answer with the given status and, when given, exactly these
 * field paths in `errors` (in any order).
 */
export function expectProblem(response: LightMyRequestResponse, status: number, paths?: string[]): Record<string, unknown> {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), instance: expect.any(String) });
  if (paths) {
    const found = (body.errors as Array<{ path: string; message: string }>).map((error) => error.path);
    expect([...new Set(found)].sort()).toEqual([...paths].sort());
  }
  return body;
}
