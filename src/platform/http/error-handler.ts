// Every 4xx/5xx leaves as problem+json. Validation failures list each failing field; server errors
// are logged in full and answered with nothing internal (no stack, no SQL, no names). A database
// that cannot be reached (down, restarting) is a 503 with Retry-After, never a 500.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { databaseUnavailable } from '../db/errors.js';
import { HttpProblem, problemBody, type FieldError, type ProblemBody } from './problem.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** What a request that met an unreachable database is told to wait before retrying. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

export function installErrorHandling(server: FastifyInstance): void {
  server.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => {
    if (error instanceof HttpProblem) {
      reply.headers(error.headers);
      return sendProblem(request, reply, error.status, error.message, {
        ...(error.errors ? { errors: error.errors } : {}),
        ...error.extensions,
      });
    }
    if (error.validation) {
      const errors = error.validation.map((issue) => fieldError(error.validationContext, issue));
      return sendProblem(request, reply, 400, 'The request is invalid', { errors });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, wrong content type, body too large, rate limit)
      // carry safe messages.
      return sendProblem(request, reply, status, error.message);
    }
    if (databaseUnavailable(error)) {
      // Expected while PostgreSQL restarts: a warning, not an error; the pools reconnect by themselves.
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendProblem(request, reply, 503, 'The database is unavailable; try again shortly');
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, status >= 500 ? status : 500, 'An unexpected error occurred');
  });

  server.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a URL whose percent-escapes
 * are not UTF-8, such as `%zz` or `%c0%ae`) leave as problem+json too, not Fastify's own JSON.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  sendProblem(request, reply, status, 'The request URL is malformed');
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  detail: string,
  extra: Partial<ProblemBody> = {},
): FastifyReply {
  const instance = request.url.split('?')[0] ?? request.url;
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problemBody(status, detail, instance, extra));
}

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldError(context: string | undefined, issue: AjvIssue): FieldError {
  const segments = (issue.instancePath ?? '').split('/').filter(Boolean);
  const params = issue.params ?? {};
  if (typeof params.missingProperty === 'string') segments.push(params.missingProperty);
  if (typeof params.additionalProperty === 'string') {
    segments.push(params.additionalProperty);
    return { path: fieldPath(context, segments), message: 'is not an allowed property' };
  }
  return { path: fieldPath(context, segments), message: issue.message ?? 'is invalid' };
}

// Body fields are named plainly (`shippingAddress.country`); others say where they were.
function fieldPath(context: string | undefined, segments: string[]): string {
  const path = segments.join('.');
  if (!context || context === 'body') return path || 'body';
  return path ? `${context}.${path}` : context;
}
