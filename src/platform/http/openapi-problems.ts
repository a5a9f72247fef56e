// The problems each operation may answer, from facts about its route: every route's input is
// checked (400: the query string's escapes and text PostgreSQL cannot store, on any route), secured
// routes refuse missing tokens and roles, path ids may name nothing, bodies may be too large or not
// JSON, the global rate limit counts every route but the probes, and any route may meet a
// module or database that is down. A route adds its own through `x-problems` (openapi-route-docs.ts).
import type { ProblemCase, ProblemStatus } from './openapi-route-docs.js';

export interface OperationFacts {
  path: string;
  method: string;
  secured: boolean;
  declared: Partial<Record<ProblemStatus, ProblemCase>>;
}

export interface ProblemResponse {
  description: string;
  /** ValidationProblem lists the failing fields; Problem is anything else. */
  schema: 'Problem' | 'ValidationProblem';
  retryAfter: 'required' | 'optional' | 'absent';
}

const METHODS_WITH_BODY = new Set(['post', 'put', 'patch', 'delete']);
// The same exemptions as the global rate limit's (global-rate-limit.ts): probes are never limited.
const RATE_LIMITED = (path: string) => !path.startsWith('/health/');

const GENERIC: Record<number, string> = {
  400: 'The request is invalid; `errors` lists each failing field when there are fields to name',
  401: 'No valid bearer token: missing, malformed, expired, revoked, or its account is no longer active',
  403: 'The caller may not do this (wrong role, or not the owner)',
  404: 'Nothing with this id (or nothing the caller may see)',
  413: 'The body is larger than the server accepts (256 KiB)',
  414: 'A path parameter is longer than the server accepts',
  415: 'The body is not JSON (`content-type: application/json`)',
  429: 'Too many requests from this address; retry after `retry-after` seconds',
  500: 'An unexpected error; the answer discloses nothing internal',
  503: 'A module or the database is unavailable; retry shortly (after `retry-after` seconds when given)',
};

export function problemResponsesOf(facts: OperationFacts): Map<ProblemStatus, ProblemResponse> {
  const statuses = new Map<ProblemStatus, ProblemResponse>();
  const add = (status: ProblemStatus, retryAfter: ProblemResponse['retryAfter'] = 'absent') =>
    statuses.set(status, { description: GENERIC[status]!, schema: schemaOf(status), retryAfter });
  add(400);
  if (facts.secured) {
    add(401);
    add(403);
  }
  if (facts.path.includes('{')) {
    add(404);
    add(414);
  }
  if (METHODS_WITH_BODY.has(facts.method)) {
    add(413);
    add(415);
  }
  if (RATE_LIMITED(facts.path)) add(429, 'required');
  add(500);
  add(503, 'optional');
  for (const [code, problemCase] of Object.entries(facts.declared)) {
    const status = Number(code) as ProblemStatus;
    const description = typeof problemCase === 'string' ? problemCase : problemCase.description;
    const retryAfter = typeof problemCase === 'string' ? (statuses.get(status)?.retryAfter ?? 'absent') : 'optional';
    statuses.set(status, { description, schema: schemaOf(status), retryAfter });
  }
  return new Map([...statuses].sort(([a], [b]) => a - b));
}

// Both list failing fields: 400 for fields that break the schema, 422 for ones that break a rule.
function schemaOf(status: ProblemStatus): ProblemResponse['schema'] {
  return status === 400 || status === 422 ? 'ValidationProblem' : 'Problem';
}
