// What a route's schema tells the OpenAPI document beyond what Fastify validates and serialises.
// The keys start with `x-` so that @fastify/swagger copies them into the operation as they are;
// finishing the document (openapi-document.ts) turns them into plain OpenAPI and removes them.
//
// Problems are declared here rather than under `response`: Fastify serialises every answer of a
// status listed there through its schema, error answers included, and would drop the members a
// problem adds or fail on one it lacks. Error answers stay written as error-handler.ts writes them.
import type { TSchema } from 'typebox';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 422 | 429 | 500 | 502 | 503;

/** When a route answers a problem: in words, and whether the answer may say when to retry. */
export type ProblemCase = string | { description: string; retryAfter: true };

export interface RouteDocs {
  /** Problems this route answers beyond those every route of its kind may (openapi-problems.ts). */
  'x-problems'?: Partial<Record<ProblemStatus, ProblemCase>>;
  /** Other body shapes the route converts to `body` before validation: documented as `oneOf` with it. */
  'x-alternative-bodies'?: readonly TSchema[];
  /** The route takes no body at all as well as `body`. */
  'x-optional-body'?: true;
  /** The route takes an Idempotency-Key and marks a replayed answer with `idempotent-replayed: true`. */
  'x-idempotent'?: true;
}

export const ROUTE_DOCS_KEYS = ['x-problems', 'x-alternative-bodies', 'x-optional-body', 'x-idempotent'] as const;

declare module 'fastify' {
  interface FastifySchema extends RouteDocs {}
}
