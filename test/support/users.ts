// HTTP helpers for tests that need accounts: everything goes through the public API.
import type { FastifyInstance } from 'fastify';

let counter = 0;

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
  token: string;
  auth: { authorization: string };
}

export async function registerAndLogin(server: FastifyInstance, overrides: Partial<{ email: string; username: string; password: string }> = {}): Promise<TestUser> {
  counter += 1;
  const unique = `${process.pid}_${Date.now().toString(36)}_${counter}`;
  const input = {
    email: overrides.email ?? `user_${unique}@example.com`,
    username: overrides.username ?? `u_${unique}`.slice(0, 32),
    password: overrides.password ?? 'a-good-password',
  };
  const registered = await server.inject({ method: 'POST', url: '/api/v1/users', payload: input });
  if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.statusCode} ${registered.body}`);
  const token = await login(server, input.email, input.password);
  return { ...input, id: registered.json().id, token, auth: { authorization: `Bearer ${token}` } };
}

export async function login(server: FastifyInstance, email: string, password: string): Promise<string> {
  const response = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json().accessToken;
}
