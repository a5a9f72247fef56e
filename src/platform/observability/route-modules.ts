// Which module a request belongs to, for metrics and traces: the module whose route served it. A
// module's public routes lie under its route prefixes (a ModuleDefinition says so), whether they are
// served here or forwarded to its process (the proxy's routes are those same prefixes), and its
// contract's internal routes under /internal/v1/<module>. So the owner is found once per route, when
// it is registered, from the prefixes of every module, and kept in the route's config; a request
// then costs one property read.
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The module that owns the route (see observability/route-modules.ts); absent on the platform's own routes. */
    module?: string;
  }
}

/** Routes no module owns: health, metrics, the documents, the admin endpoints. */
export const PLATFORM_ROUTES = 'platform';
/** Requests no route matched (answered 404 by the not-found handler). */
export const NO_ROUTE = 'none';

export interface RouteOwner {
  name: string;
  routePrefixes: readonly string[];
}

/**
 * Marks every route registered from now on with the module owning its URL. Call it before any
 * route or plugin is registered: a plugin scope takes its parent's onRoute hooks when it is created.
 */
export function labelRoutesWithModule(server: FastifyInstance, owners: readonly RouteOwner[]): void {
  const ownerOf = routeOwnerLookup(owners);
  server.addHook('onRoute', (route) => {
    const module = ownerOf(route.url);
    if (module !== undefined) route.config = { ...route.config, module };
  });
}

/** The module whose route served the request, `platform` for the platform's own, `none` when unmatched. */
export function moduleOfRequest(request: FastifyRequest): string {
  const { url, config } = request.routeOptions;
  if (url === undefined) return NO_ROUTE;
  return config.module ?? PLATFORM_ROUTES;
}

/** The module owning a route URL (as registered, e.g. `/api/v1/products/:id`), if any. */
export function routeOwnerLookup(owners: readonly RouteOwner[]): (url: string) => string | undefined {
  const prefixes = owners
    .flatMap(({ name, routePrefixes }) => [...routePrefixes, contractRoutePrefix(name)].map((prefix) => ({ prefix, module: name })))
    // Longest first: should one module's prefix ever lie under another's, the closer owner wins.
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return (url) => prefixes.find(({ prefix }) => url === prefix || url.startsWith(`${prefix}/`))?.module;
}

// Where contract-methods.ts's contractPath puts a module's contract routes.
function contractRoutePrefix(module: string): string {
  return `/internal/v1/${module}`;
}
