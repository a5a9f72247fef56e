// The HTTP client every remote-module proxy of a server shares: one undici agent (a keep-alive
// connection pool per upstream origin), so a forwarded request rarely pays for a TCP handshake.
// Registered once on the server it is given: the canary hook runs on the root and needs
// `reply.from` there, and one agent serves any number of modules because each request names its
// upstream.
import fastifyReplyFrom from '@fastify/reply-from';
import type { FastifyInstance } from 'fastify';

/** A remote that does not accept a connection within this is as good as down. */
const CONNECT_TIMEOUT_MS = 2_000;

export async function ensureProxyTransport(server: FastifyInstance): Promise<void> {
  if (server.hasReplyDecorator('from')) return;
  await server.register(fastifyReplyFrom, {
    // Instances of this app speak HTTP/1.1 on a private network; h2c would only add a session
    // that a single stuck stream can take down.
    http2: false,
    undici: {
      connections: 128,
      // No pipelining: a slow request would hold up the ones queued behind it on the socket.
      pipelining: 1,
      // Reuse idle sockets; the upstream's own Keep-Alive hint wins when it sends one.
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: CONNECT_TIMEOUT_MS },
    },
    // Retries are decided per module (next instance, idempotent methods only), not here.
    retryMethods: [],
    // The gateway logs every request already; failures are logged with the module and instance.
    disableRequestLogging: true,
    // Close pooled sockets with the server, so shutdown and tests do not leave connections open.
    destroyAgent: true,
  });
}
