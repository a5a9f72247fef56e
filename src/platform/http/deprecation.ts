// Deprecating a version of an API: every response under its prefix, success or error, tells
// clients it is deprecated (Deprecation, RFC 9745), when it stops answering (Sunset, RFC 8594) and
// what replaces it (Link rel="successor-version"), and the OpenAPI document marks its operations
// deprecated and lists those headers. The routes' own files need no edit: the hooks mark whatever
// is registered under the prefix, so a module deprecates a version in one call.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface Deprecation {
  /** The deprecated version's route prefix, e.g. '/api/v1/orders'. */
  prefix: string;
  /** The prefix of the version that replaces it, e.g. '/api/v2/orders'. */
  successor: string;
  /**
   * When the successor has an operation at every path of the deprecated version (same sub-paths),
   * the Link of a response names the counterpart of the request's own URL, not just the prefix.
   */
  samePaths?: boolean;
  deprecatedAt: Date;
  /** After this the version may stop answering; must come after `deprecatedAt`. */
  sunsetAt: Date;
}

/** The three headers, by name, as a response under the deprecated prefix carries them. */
export function deprecationHeaders(deprecation: Deprecation, requestPath?: string): Record<string, string> {
  return {
    // An RFC 9651 structured-field date: '@' and the Unix time in seconds.
    deprecation: `@${Math.floor(deprecation.deprecatedAt.getTime() / 1000)}`,
    // An HTTP-date (IMF-fixdate), which toUTCString writes.
    sunset: deprecation.sunsetAt.toUTCString(),
    link: `<${successorUrl(deprecation, requestPath)}>; rel="successor-version"`,
  };
}

/**
 * Call it in the scope that registers the deprecated routes, before registering them: Fastify
 * copies a scope's onRoute hooks into the plugins registered after them, not into earlier ones.
 */
export function deprecate(server: FastifyInstance, deprecation: Deprecation): void {
  if (!(deprecation.sunsetAt.getTime() > deprecation.deprecatedAt.getTime())) {
    throw new Error(`deprecating ${deprecation.prefix}: the sunset must come after the deprecation`);
  }
  const covers = (path: string | undefined) => path !== undefined && (path === deprecation.prefix || path.startsWith(`${deprecation.prefix}/`));

  server.addHook('onRoute', (route) => {
    if (!covers(route.url)) return;
    route.schema = { ...route.schema, deprecated: true, ...documentedHeaders(route.schema?.response) };
  });

  // onSend runs for every answer of these routes, errors (401, 400, 404) included.
  server.addHook('onSend', async (request, reply, payload) => {
    if (covers(request.routeOptions.url)) reply.headers(deprecationHeaders(deprecation, pathOf(request)));
    return payload;
  });
}

/** Each documented response lists the three headers (the OpenAPI generator reads `headers`). */
function documentedHeaders(response: unknown): { response?: Record<string, unknown> } {
  if (typeof response !== 'object' || response === null) return {};
  const headers = {
    Deprecation: { type: 'string', description: 'When this version was (or will be) deprecated, as @<Unix seconds> (RFC 9745)' },
    Sunset: { type: 'string', description: 'When this version stops answering, as an HTTP-date (RFC 8594)' },
    Link: { type: 'string', description: 'The version that replaces this one, with rel="successor-version"' },
  };
  return {
    response: Object.fromEntries(
      Object.entries(response).map(([status, schema]) => [
        status,
        // A copy: response schemas are shared constants, and other routes must not see the headers.
        { ...(schema as object), headers: { ...((schema as { headers?: object }).headers ?? {}), ...headers } },
      ]),
    ),
  };
}

function successorUrl(deprecation: Deprecation, requestPath: string | undefined): string {
  if (!deprecation.samePaths || requestPath === undefined || !requestPath.startsWith(deprecation.prefix)) return deprecation.successor;
  const rest = requestPath.slice(deprecation.prefix.length);
  // Only a plain path is echoed into the header: anything else could break out of the <…>.
  return /^(?:\/[A-Za-z0-9\-._~%]*)*$/.test(rest) ? `${deprecation.successor}${rest}` : deprecation.successor;
}

function pathOf(request: FastifyRequest): string {
  const queryStart = request.url.indexOf('?');
  return queryStart === -1 ? request.url : request.url.slice(0, queryStart);
}
