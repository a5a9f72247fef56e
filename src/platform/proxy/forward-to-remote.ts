// Sends one request to an instance of a remote module and its answer back to the client, feeding
// the pool's passive health check on the way. The gateway itself never answers a bare 500: an
// instance that cannot be reached becomes a 503 problem naming the module. A path that is not a
// plain path under the module's prefixes is answered 400 here and never leaves the gateway.
import type {} from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../http/error-handler.js';
import { forwardablePath } from './forwardable-path.js';
import { forwardedRequestHeaders, forwardedResponseHeaders } from './forwarded-headers.js';
import type { UpstreamPool } from './upstream-pool.js';

export const UNFORWARDABLE_PATH_DETAIL = 'The request path is malformed or ambiguous';

export interface RemoteModuleTarget {
  module: string;
  /** The module's public prefixes: no path outside them is forwarded, whatever routed it here. */
  prefixes: readonly string[];
  pool: UpstreamPool;
  /** Longest wait for the instance's response headers, and between two chunks of its body. */
  timeoutMs: number;
}

// An instance answering these is overloaded, or a proxy in front of it cannot reach it: rest it.
const UNHEALTHY_STATUSES = new Set([502, 503, 504]);
// Safe to send again to the next instance: no side effects, and no request body already consumed.
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function forwardToRemote(request: FastifyRequest, reply: FastifyReply, target: RemoteModuleTarget): FastifyReply {
  const { module, pool } = target;
  // The path checked is the path sent: reply-from is given it rather than left to read the URL.
  const path = forwardablePath(request.url, target.prefixes);
  if (path === null) return refuseUnforwardablePath(request, reply);
  // GET and HEAD may not carry a body upstream (reply-from refuses); a client that sent one anyway
  // gets it dropped rather than a 500.
  const dropBody = (request.method === 'GET' || request.method === 'HEAD') && request.body !== undefined;
  let attemptsLeft = RETRYABLE_METHODS.has(request.method) ? pool.urls.length : 1;

  const attempt = (): FastifyReply => {
    const upstream = pool.pick();
    if (upstream === null) return moduleUnavailable(request, reply, module);
    attemptsLeft -= 1;
    return reply.from(path, {
      getUpstream: () => upstream,
      timeout: target.timeoutMs,
      // reply-from would retry a GET answered 503 on the same instance, up to ten times; the pool
      // decides where a retry goes instead.
      retryDelay: () => null,
      ...(dropBody ? { body: null } : {}),
      rewriteRequestHeaders: (_request, headers) => forwardedRequestHeaders(request, headers),
      rewriteHeaders: (headers) => forwardedResponseHeaders(request, headers),
      onResponse: (_request, _reply, response) => {
        if (UNHEALTHY_STATUSES.has(response.statusCode)) {
          pool.markFailed(upstream);
          request.log.warn({ module, upstream, status: response.statusCode }, 'remote module instance answered unhealthy; resting it');
        }
        // The instance's answer is the answer, even a 503: it knows better than the gateway why.
        reply.send(response.stream);
      },
      onError: (_reply, { error }) => {
        pool.markFailed(upstream);
        request.log.warn({ err: error, module, upstream }, 'remote module instance unreachable; resting it');
        if (attemptsLeft > 0) attempt();
        else moduleUnavailable(request, reply, module);
      },
    });
  };
  return attempt();
}

export function refuseUnforwardablePath(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(request, reply, 400, UNFORWARDABLE_PATH_DETAIL);
}

function moduleUnavailable(request: FastifyRequest, reply: FastifyReply, module: string): FastifyReply {
  return sendProblem(request, reply, 503, `The ${module} module is unavailable`);
}
