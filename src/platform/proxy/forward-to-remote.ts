// Sends one request to an instance of a remote module and its answer back to the client, feeding
// the pool's passive health check on the way. @fastify/http-proxy routes the request here and asks
// getUpstream for the instance; this decides what a failure means. The gateway itself never answers
// a bare 500: an instance that cannot be reached becomes a 503 problem naming the module.
import type { FastifyReplyFromHooks } from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../http/error-handler.js';
import { startClientSpan } from '../observability/client-spans.js';
import { forwardedRequestHeaders, forwardedResponseHeaders } from './forwarded-headers.js';
import type { UpstreamPool } from './upstream-pool.js';

export interface RemoteModuleTarget {
  module: string;
  /** The module's public prefixes: no path outside them is forwarded, whatever routed it here. */
  prefixes: readonly string[];
  pool: UpstreamPool;
  /** Longest wait for the instance's response headers, and between two chunks of its body. */
  timeoutMs: number;
}

// What getUpstream answers while every instance rests: http-proxy needs a string, and this one
// tells forwardToRemote to answer 503 without trying.
const NO_INSTANCE = '';
// An instance answering these is overloaded, or a proxy in front of it cannot reach it: rest it.
const UNHEALTHY_STATUSES = new Set([502, 503, 504]);
// Safe to send again to the next instance: no side effects, and no request body already consumed.
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** http-proxy's replyOptions: the pool picks the instance, once per request, in round-robin. */
export function replyOptionsFor(target: RemoteModuleTarget): FastifyReplyFromHooks {
  return {
    getUpstream: () => target.pool.pick() ?? NO_INSTANCE,
    timeout: target.timeoutMs,
    // reply-from would retry a GET answered 503 on the same instance, up to ten times; the pool
    // decides where a retry goes instead.
    retryDelay: () => null,
    rewriteRequestHeaders: (request, headers) => forwardedRequestHeaders(request, headers),
    rewriteHeaders: (headers, request) => (request ? forwardedResponseHeaders(request, headers) : headers),
  };
}

/**
 * http-proxy's handler. `path` is the request path, already checked by the forwarding routes;
 * `options` are replyOptionsFor(target) with getUpstream fixed to the instance it picked.
 */
export function forwardToRemote(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  options: FastifyReplyFromHooks,
  target: RemoteModuleTarget,
): FastifyReply {
  const { module, pool } = target;
  // GET and HEAD may not carry a body upstream (reply-from refuses); a client that sent one anyway
  // gets it dropped rather than a 500.
  const dropBody = (request.method === 'GET' || request.method === 'HEAD') && request.body !== undefined;
  let attemptsLeft = RETRYABLE_METHODS.has(request.method) ? pool.urls.length : 1;

  const attempt = (upstream: string | null): FastifyReply => {
    if (upstream === null || upstream === NO_INSTANCE) return moduleUnavailable(request, reply, module);
    attemptsLeft -= 1;
    const span = startClientSpan(`${request.method} ${module}`, { 'http.request.method': request.method, 'server.address': upstream, 'shop.module': module });
    return reply.from(path, {
      ...options,
      getUpstream: () => upstream,
      ...(dropBody ? { body: null } : {}),
      rewriteRequestHeaders: (incoming, headers) => span.headers(options.rewriteRequestHeaders?.(incoming, headers) ?? headers),
      onResponse: (_request, _reply, response) => {
        span.end({ status: response.statusCode });
        if (UNHEALTHY_STATUSES.has(response.statusCode)) {
          pool.markFailed(upstream);
          request.log.warn({ module, upstream, status: response.statusCode }, 'remote module instance answered unhealthy; resting it');
        }
        // The instance's answer is the answer, even a 503: it knows better than the gateway why.
        reply.send(response.stream);
      },
      onError: (_reply, { error }) => {
        span.end({ error });
        pool.markFailed(upstream);
        request.log.warn({ err: error, module, upstream }, 'remote module instance unreachable; resting it');
        if (attemptsLeft > 0) attempt(pool.pick());
        else moduleUnavailable(request, reply, module);
      },
    });
  };
  return attempt(options.getUpstream?.(request, NO_INSTANCE) ?? null);
}

function moduleUnavailable(request: FastifyRequest, reply: FastifyReply, module: string): FastifyReply {
  return sendProblem(request, reply, 503, `The ${module} module is unavailable`);
}
