// Routes that hand every request under a remote module's public prefixes to that module. They are
// scoped in a plugin of their own so the raw body parser below touches no other route.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { forwardToRemote, type RemoteModuleTarget } from './forward-to-remote.js';
import { forwardableBody } from './request-body.js';

const FORWARDED_METHODS: HTTPMethods[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

export async function registerForwardingRoutes(
  server: FastifyInstance,
  prefixes: readonly string[],
  target: RemoteModuleTarget,
): Promise<void> {
  await server.register(async (scope) => {
    // Bodies are streamed to the instance as they came: parsing and validating them is the owning
    // module's job, and the gateway would only pay to parse and re-serialise them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, forwardableBody(payload)));

    for (const prefix of prefixes) {
      for (const url of [prefix, `${prefix}/*`]) {
        scope.route({
          method: FORWARDED_METHODS,
          url,
          // A catch-all says nothing about the API; the owning module documents its own routes.
          schema: { hide: true },
          handler: (request, reply) => forwardToRemote(request, reply, target),
        });
      }
    }
  });
}
