// Response headers for a JSON API: nothing may frame it, sniff its content types, follow its
// referrer or run anything from it. The Swagger UI at /docs relaxes the policy for its own pages
// (see docs.ts); token and payment answers are never stored by a browser or proxy cache.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

// A prefix rule rather than a per-route opt-in: every route under these carries a token or
// payment data, including routes added later and routes forwarded to a remote module.
const NO_STORE_PREFIXES = ['/api/v1/auth/', '/api/v1/payments'];

export async function registerSecurityHeaders(server: FastifyInstance): Promise<void> {
  const headers = helmetHeaders();
  server.addHook('onRequest', async (request, reply) => {
    reply.headers(headers);
    if (NO_STORE_PREFIXES.some((prefix) => request.url.startsWith(prefix))) reply.header('cache-control', 'no-store');
  });
}

// helmet's headers do not depend on the request: they are taken from it once, at start-up, and
// set on each reply as one object. (@fastify/helmet builds helmet anew for every request, and
// running its chain of middlewares per request showed in profiles of a cached read.)
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({
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
  })({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}
