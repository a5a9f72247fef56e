// Canary release of a module hosted here and elsewhere: a share of the requests under its public
// prefixes goes to the remote instances, the rest reaches the local routes. Decided in onRequest,
// before the body is read, so a forwarded body is streamed to the instance untouched.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forwardToRemote, refuseUnforwardablePath, type RemoteModuleTarget } from './forward-to-remote.js';
import { forwardablePath } from './forwardable-path.js';
import { forwardableBody } from './request-body.js';

export interface CanarySplitOptions {
  prefixes: readonly string[];
  target: RemoteModuleTarget;
  /** Percentage (0-100) of the module's requests sent to the remote instances. */
  weight: number;
  /** Uniform in [0, 1); tests pass a seeded one. */
  random: () => number;
}

/**
 * Must be installed before the module's routes are registered: Fastify copies a server's hooks
 * into a plugin scope when the scope is created, so routes of an earlier plugin never see it.
 */
export function installCanarySplit(server: FastifyInstance, { prefixes, target, weight, random }: CanarySplitOptions): void {
  server.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0] ?? request.url;
    if (!prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return done();
    // Refused before the dice are rolled: the same odd path gets the same answer from either side.
    if (forwardablePath(request.url, prefixes) === null) {
      refuseUnforwardablePath(request, reply);
      return;
    }
    if (random() * 100 >= weight) return done();
    // With every remote instance resting, the local routes can still serve: better than a 503.
    if (!target.pool.hasAvailable()) return done();
    // Nothing has read the body yet: hand reply-from the raw stream to pipe to the instance.
    if (carriesBody(request)) request.body = forwardableBody(request.raw);
    // done() is not called: the forwarded answer ends the request, the local route never runs.
    forwardToRemote(request, reply, target);
  });
}

function carriesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
