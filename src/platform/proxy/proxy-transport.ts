// The HTTP client of a remote module's forwarding routes, handed to @fastify/http-proxy (which
// passes it on to the reply-from it registers): one undici agent per remote module, a keep-alive
// connection pool per instance, so a forwarded request rarely pays for a TCP handshake.
import type { FastifyReplyFromOptions } from '@fastify/reply-from';

/** A remote that does not accept a connection within this is as good as down. */
const CONNECT_TIMEOUT_MS = 2_000;

export const PROXY_TRANSPORT = {
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
} satisfies FastifyReplyFromOptions;
