// Routes that hand every request under a remote module's public prefixes to that module, built
// with @fastify/http-proxy: its routes (`<prefix>` and `<prefix>/*`, every method), its reply-from
// client, getUpstream picking the instance. They sit in a plugin scope of their own so the raw body
// parser and the path check below touch no other route.
import fastifyHttpProxy from '@fastify/http-proxy';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from '../http/error-handler.js';
import { forwardablePath } from './forwardable-path.js';
import { forwardToRemote, replyOptionsFor, type RemoteModuleTarget } from './forward-to-remote.js';
import { PROXY_TRANSPORT } from './proxy-transport.js';
import { forwardableBody } from './request-body.js';

export const UNFORWARDABLE_PATH_DETAIL = 'The request path is malformed or ambiguous';

const FORWARDED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** `constraints`: a canary's routing constraint (see canary-split.ts); none when all is remote. */
export async function registerForwardingRoutes(
  server: FastifyInstance,
  target: RemoteModuleTarget,
  constraints: Record<string, string> = {},
): Promise<void> {
  await server.register(async (scope) => {
    // Bodies are streamed to the instance as they came: parsing and validating them is the owning
    // module's job, and the gateway would only pay to parse and re-serialise them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, forwardableBody(payload)));
    // A path that is not a plain path under the module's prefixes is answered 400 here, before
    // http-proxy (whose own traversal check would answer a 400 of its own wording) or the body.
    scope.addHook('onRequest', async (request, reply) => {
      if (forwardablePath(request.url, target.prefixes) === null) return sendProblem(request, reply, 400, UNFORWARDABLE_PATH_DETAIL);
    });
    // A catch-all says nothing about the API; the owning module documents its own routes.
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });

    await scope.register(fastifyHttpProxy, {
      ...PROXY_TRANSPORT,
      // No fixed upstream: getUpstream names an instance of the pool for each request.
      upstream: '',
      // Forwarded under the path it came with: no prefix is stripped or rewritten, and a Location
      // header of the instance is passed on as it is.
      routes: target.prefixes.flatMap((prefix) => [prefix, `${prefix}/*`]),
      httpMethods: FORWARDED_METHODS,
      internalRewriteLocationHeader: false,
      // The raw body parser above is the one used.
      proxyPayloads: false,
      constraints,
      replyOptions: replyOptionsFor(target),
      // http-proxy's dest is the request path (no prefix to rewrite), the one checked in onRequest.
      handler: (request, reply, path, options) => forwardToRemote(request, reply, path, options, target),
    });
  });
}
