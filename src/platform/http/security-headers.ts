// Response headers for a JSON API: nothing may frame it, sniff its content types, follow its
// referrer or run anything from it. The Swagger UI at /docs relaxes the policy for its own pages
// (see docs.ts); token and payment answers are never stored by a browser or proxy cache.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

// A prefix rule rather than a per-route opt-in: every route under these carries a token or
// payment data, including routes added later and routes forwarded to a remote module.
const NO_STORE_PREFIXES = ['/api/v1/auth/', '/api/v1/payments'];

export async function registerSecurityHeaders(server: FastifyInstance): Promise<void> {
  await server.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  server.addHook('onRequest', async (request, reply) => {
    if (NO_STORE_PREFIXES.some((prefix) => request.url.startsWith(prefix))) reply.header('cache-control', 'no-store');
  });
}
