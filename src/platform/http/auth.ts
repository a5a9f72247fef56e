// Bearer JWT authentication with roles. Modules protect a route with
// `onRequest: [server.authenticate]` and, where a role is needed, `requireRole('admin')`.
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problem } from './problem.js';

export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface AuthenticatedUser {
  sub: string;
  role: Role;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AuthenticatedUser;
    user: AuthenticatedUser;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate(request: FastifyRequest): Promise<void>;
    signAccessToken(user: AuthenticatedUser): string;
  }
}

export interface AuthOptions {
  secret: string;
  accessTokenTtlSeconds: number;
}

export const authPlugin = fp<AuthOptions>(
  async (server: FastifyInstance, options) => {
    await server.register(fastifyJwt, {
      secret: options.secret,
      sign: { algorithm: 'HS256', expiresIn: options.accessTokenTtlSeconds },
      verify: { algorithms: ['HS256'] },
    });
    server.decorate('authenticate', async (request: FastifyRequest) => {
      try {
        await request.jwtVerify();
      } catch {
        throw problem.unauthorized('A valid bearer token is required');
      }
      if (!ROLES.includes(request.user.role)) throw problem.unauthorized('A valid bearer token is required');
    });
    server.decorate('signAccessToken', (user: AuthenticatedUser) => server.jwt.sign({ sub: user.sub, role: user.role }));
  },
  { name: 'auth' },
);

/** onRequest hook (after `authenticate`) that lets only the given role through. */
export function requireRole(role: Role) {
  return async (request: FastifyRequest) => {
    if (request.user.role !== role) throw problem.forbidden(`This requires the ${role} role`);
  };
}
