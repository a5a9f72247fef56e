// A SERVER span for every HTTP request, continuing the caller's trace (`traceparent`). The span is
// opened where Node hands the request over, before Fastify sees it, and made the active context
// for everything Fastify then does with it (hooks, body parsing, handler, the request's log line):
// so a module's database work, its remote calls and the events it publishes all land in this trace.
// Fastify names the route and the module once it has routed the request (see nameServerSpan).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyRequest, FastifyServerFactory } from 'fastify';
import { contextFrom, tracer } from './trace-context.js';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** The Fastify options that shape the server it would make. */
interface ServerOptions {
  http?: http.ServerOptions;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

/** Fastify's `serverFactory`: the HTTP/1.1 server Fastify would make, with a span per request. */
export const serverWithSpans: FastifyServerFactory = (handler, fastifyOptions) => {
  const options = fastifyOptions as ServerOptions;
  const server = http.createServer(options.http ?? {}, inSpan(handler as RequestListener));
  // What Fastify sets on a server it makes itself.
  server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
  server.requestTimeout = options.requestTimeout ?? 0;
  server.setTimeout(options.connectionTimeout ?? 0);
  if ((options.maxRequestsPerSocket ?? 0) > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket!;
  return server;
};

// Probes and scrapes come every few seconds from every replica's orchestrator: traced, they would
// bury the traces of real work.
const UNTRACED = /^\/(health\/|metrics(\?|$))/;

function inSpan(handler: RequestListener): RequestListener {
  return (request, response) => {
    if (UNTRACED.test(request.url ?? '')) return handler(request, response);
    const parent = contextFrom(request.headers);
    const span = tracer.startSpan(
      request.method ?? 'HTTP',
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method ?? '', 'url.path': (request.url ?? '').split('?')[0]! } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    // The body arrives in stream events and the log line is written on 'finish': bound, so their
    // listeners run in the request's context too.
    context.bind(active, request);
    context.bind(active, response);
    response.once('close', () => {
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(active, () => handler(request, response));
  };
}

/** Names the request's span after its route and the module serving it, once Fastify has routed it. */
export function nameServerSpan(request: FastifyRequest, module: string): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  const route = request.routeOptions.url;
  if (route) {
    span.updateName(`${request.method} ${route}`);
    span.setAttribute('http.route', route);
  }
  span.setAttribute('shop.module', module);
}
