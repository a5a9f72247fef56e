// Bearer JWT authentication with roles. Modules protect a route with
// `onRequest: [server.authenticate]` and, where a role is needed, `requireRole('admin')`.
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessRevocations } from '../access/access-revocations.js';
import { problem } from './problem.js';

export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface AuthenticatedUser {
  sub: string;
  role: Role;
  /** When the token was issued (seconds since the epoch); set on every verified token. */
  iat?: number;
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
    /** A token for `user` that expires `lifetimeSeconds` from now. */
    signAccessToken(user: AuthenticatedUser, lifetimeSeconds: number): string;
  }
}

export interface AuthOptions {
  secret: string;
  /** Users whose tokens stop working before they expire (suspended, deactivated). */
  revocations: Pick<AccessRevocations, 'refusal'>;
}

export const authPlugin = fp<AuthOptions>(
  async (server: FastifyInstance, options) => {
    await server.register(fastifyJwt, {
      secret: options.secret,
      sign: { algorithm: 'HS256' },
      // A token without `exp` would work forever; without `iat` it could not be revoked.
      verify: { algorithms: ['HS256'], requiredClaims: ['sub', 'iat', 'exp'] },
    });
    server.decorate('authenticate', async (request: FastifyRequest) => {
      try {
        await request.jwtVerify();
      } catch {
        throw problem.unauthorized('A valid bearer token is required');
      }
      if (!ROLES.includes(request.user.role)) throw problem.unauthorized('A valid bearer token is required');
      const refusal = options.revocations.refusal(request.user.sub, request.user.iat ?? 0);
      if (refusal) throw problem.unauthorized(refusal);
    });
    server.decorate('signAccessToken', (user: AuthenticatedUser, lifetimeSeconds: number) =>
      server.jwt.sign({ sub: user.sub, role: user.role }, { expiresIn: lifetimeSeconds }),
    );
  },
  { name: 'auth' },
);

/** onRequest hook (after `authenticate`) that lets only the given role through. */
export function requireRole(role: Role) {
  return async (request: FastifyRequest) => {
    if (request.user.role !== role) throw problem.forbidden(`This requires the ${role} role`);
  };
}
