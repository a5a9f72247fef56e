// Finishes the document @fastify/swagger generates from the route schemas into one clients can
// generate code from: every status an operation may answer documented (problems as
// application/problem+json), the headers every answer carries, what routes accept beyond their
// validated schema (`x-…` keys of openapi-route-docs.ts), and named schemas referenced by `$ref`.
// Only the document changes: it is a copy, the route schemas that validate and serialise are untouched.
import { NamedSchemas } from './openapi-components.js';
import { problemResponsesOf, type ProblemResponse } from './openapi-problems.js';
import { ROUTE_DOCS_KEYS, type RouteDocs } from './openapi-route-docs.js';
import { ProblemSchema, ValidationProblemSchema } from './problem.js';

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  paths?: Record<string, Record<string, unknown>>;
  components?: Json;
  [key: string]: unknown;
}

interface Operation extends RouteDocs {
  operationId?: string;
  summary?: string;
  tags?: string[];
  deprecated?: boolean;
  security?: unknown[];
  parameters?: Array<{ schema?: unknown }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description: string; headers?: Json; content?: Record<string, { schema?: unknown }> }>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const HEADERS = {
  RequestId: {
    description:
      'Names the request in the logs: the `x-request-id` the caller sent when it is 1 to 128 of `A-Z a-z 0-9 . _ : -`, else a new UUID.',
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: 128 },
  },
  IdempotentReplayed: {
    description: 'Present when the answer is the stored answer to an earlier request with the same Idempotency-Key: nothing was done again.',
    schema: { type: 'string', enum: ['true'] },
  },
};
const headerRef = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const retryAfter = (required: boolean) => ({ description: 'Seconds to wait before retrying', required, schema: { type: 'integer', minimum: 0 } });

export function finishOpenApiDocument(generated: OpenApiDocument): OpenApiDocument {
  const document = JSON.parse(JSON.stringify(generated, transformsAsExtensions)) as OpenApiDocument;
  const named = new NamedSchemas();
  named.hoist(JSON.parse(JSON.stringify(ProblemSchema)));
  named.hoist(JSON.parse(JSON.stringify(ValidationProblemSchema)));
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (METHODS.has(method)) finishOperation(path, method, operation as Operation, named);
    }
  }
  const components = document.components ?? {};
  const existing = (components.schemas ?? {}) as Json;
  const hoisted = named.components();
  for (const name of Object.keys(hoisted)) if (name in existing) throw new Error(`The schema title "${name}" is already a component`);
  document.components = { ...components, schemas: { ...existing, ...hoisted }, headers: { ...(components.headers as Json | undefined), ...HEADERS } };
  return document;
}

function finishOperation(path: string, method: string, operation: Operation, named: NamedSchemas): void {
  // Said outright: an operation without a security requirement is public, not forgotten.
  operation.security ??= [];
  const body = operation.requestBody?.content?.['application/json'];
  if (body && operation['x-alternative-bodies']) body.schema = { oneOf: [body.schema, ...operation['x-alternative-bodies']] };
  if (operation.requestBody && operation['x-optional-body']) operation.requestBody.required = false;

  const responses = (operation.responses ??= {});
  for (const [status, response] of Object.entries(responses)) {
    response.headers = { 'x-request-id': headerRef('RequestId'), ...response.headers };
    if (operation['x-idempotent'] && status.startsWith('2')) response.headers['idempotent-replayed'] = headerRef('IdempotentReplayed');
  }
  const problems = problemResponsesOf({
    path,
    method,
    secured: Array.isArray(operation.security) && operation.security.length > 0,
    declared: operation['x-problems'] ?? {},
  });
  // A deprecated operation answers its deprecation headers on every answer, problems included.
  const success = Object.entries(responses).find(([status]) => status.startsWith('2'))?.[1];
  const deprecationHeaders = operation.deprecated ? pick(success?.headers ?? {}, DEPRECATION_HEADERS) : {};
  for (const [status, problem] of problems) {
    const response = problemResponse(problem);
    response.headers = { ...response.headers, ...deprecationHeaders };
    responses[String(status)] = response;
  }
  for (const key of ROUTE_DOCS_KEYS) delete operation[key];

  for (const parameter of operation.parameters ?? []) parameter.schema = named.hoist(parameter.schema);
  for (const media of Object.values(operation.requestBody?.content ?? {})) media.schema = named.hoist(media.schema);
  for (const response of Object.values(responses)) for (const media of Object.values(response.content ?? {})) media.schema = named.hoist(media.schema);
}

/**
 * `transform` (ajv-keywords: trim, toLowerCase) is the app's own validation keyword, unknown to
 * OpenAPI tools, which refuse it; as `x-transform` it stays documented as an extension. Only a
 * list of strings is the keyword: a property named `transform` holds a schema.
 */
function transformsAsExtensions(this: unknown, _key: string, value: unknown): unknown {
  if (!isJsonObject(value) || !Array.isArray(value.transform) || !value.transform.every((item) => typeof item === 'string')) return value;
  const { transform, ...rest } = value;
  return { ...rest, 'x-transform': transform };
}

const DEPRECATION_HEADERS = ['Deprecation', 'Sunset', 'Link'];

function pick<T>(record: Record<string, T>, keys: readonly string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keys.includes(key)));
}

function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problemResponse(problem: ProblemResponse) {
  return {
    description: problem.description,
    headers: {
      'x-request-id': headerRef('RequestId'),
      ...(problem.retryAfter === 'absent' ? {} : { 'retry-after': retryAfter(problem.retryAfter === 'required') }),
    },
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${problem.schema}` } } },
  };
}
