// Errors Node's HTTP parser raises before Fastify sees a request (a client too slow to send its
// headers or body, malformed HTTP, oversized headers) answered as problem+json like every other
// error, written straight on the socket since there is no request object to reply through.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { HttpConfig } from './http-config.js';
import { PROBLEM_CONTENT_TYPE } from './error-handler.js';
import { problemBody } from './problem.js';

type ConnectionError = Error & { code?: string };

const ANSWERS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request took too long to arrive' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are too large' },
};
const MALFORMED = { status: 400, detail: 'The request is not valid HTTP' };

/** Fastify server options bounding how long a client may take to send a request. */
export function requestTimeoutOptions(limits: Pick<HttpConfig, 'requestTimeoutMs' | 'headersTimeoutMs' | 'connectionTimeoutMs'>) {
  // Node rejects a headers timeout longer than the whole request's.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    // Node only looks for expired requests this often (30 s by default, longer than the timeouts).
    http: { headersTimeout, connectionsCheckingInterval: Math.min(1000, Math.ceil(headersTimeout / 2)) },
    clientErrorHandler,
  };
}

function clientErrorHandler(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = ANSWERS[error.code ?? ''] ?? MALFORMED;
  this.log.debug({ code: error.code, status }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(problemBody(status, detail, ''));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
