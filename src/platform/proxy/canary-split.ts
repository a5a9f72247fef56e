// Canary release of a module hosted here and elsewhere: a share of the requests under its public
// prefixes goes to the remote instances, the rest reaches the local routes. The side is chosen by
// Fastify's router, with a constraint of the module's own: its local routes answer the side
// 'local', its forwarding routes (http-proxy) the side 'remote', and the constraint's value is
// derived once per request, as it is routed. So the choice is made before any hook or body parser
// runs: a forwarded body is streamed to the instance untouched, a local one parsed as usual.
import type { FastifyInstance } from 'fastify';
import type { RemoteModuleTarget } from './forward-to-remote.js';
import { forwardablePath } from './forwardable-path.js';

export interface CanarySplitOptions {
  prefixes: readonly string[];
  target: RemoteModuleTarget;
  /** Percentage (0-100) of the module's requests sent to the remote instances. */
  weight: number;
  /** Uniform in [0, 1); tests pass a seeded one. */
  random: () => number;
}

type Side = 'local' | 'remote';
type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteHandler = Parameters<ReturnType<ConstraintStrategy['storage']>['set']>[1];

/**
 * Returns the constraint the forwarding routes must carry. Must be called before the module's
 * routes are registered: Fastify copies a server's onRoute hooks into a plugin scope when the scope
 * is created, so routes of an earlier plugin would stay unconstrained and always win.
 */
export function installCanarySplit(server: FastifyInstance, { prefixes, target, weight, random }: CanarySplitOptions): Record<string, Side> {
  // The router compiles strategy names into code: keep it an identifier.
  const name = `canary_${target.module.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const underPrefixes = (path: string) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

  const side = (url: string): Side => {
    const path = url.split('?')[0] ?? url;
    if (!underPrefixes(path)) return 'local';
    // Refused before the dice are rolled: the forwarding routes answer an odd path 400, whichever
    // side it would have gone to.
    if (forwardablePath(url, prefixes) === null) return 'remote';
    if (random() * 100 >= weight) return 'local';
    // With every remote instance resting, the local routes can still serve: better than a 503.
    return target.pool.hasAvailable() ? 'remote' : 'local';
  };

  server.addConstraintStrategy({
    name,
    // One handler per side at most, so a map is all the storage the router needs.
    storage: () => {
      const handlers = new Map<unknown, RouteHandler>();
      return { get: (value: unknown) => handlers.get(value) ?? null, set: (value: unknown, handler: RouteHandler) => void handlers.set(value, handler) };
    },
    deriveConstraint: (request) => side(request.url ?? '/'),
    // Routes without the constraint (every other module, /health, /docs) match either side.
    mustMatchWhenDerived: false,
  });
  server.addHook('onRoute', (route) => {
    if (!underPrefixes(route.url) || route.constraints?.[name] !== undefined) return;
    route.constraints = { ...route.constraints, [name]: 'local' };
  });
  return { [name]: 'remote' };
}
