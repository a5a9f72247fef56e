// Names and summaries of the platform's own documented routes (probes, dead letters), whose route
// files predate operationIds. A route's own `operationId`, `summary` or `tags` wins over these.
export const PLATFORM_OPERATIONS: Record<string, { operationId: string; summary?: string; tags: string[] }> = {
  'GET /health/live': { operationId: 'getLiveness', summary: 'Liveness: the process answers', tags: ['health'] },
  'GET /health/ready': { operationId: 'getReadiness', summary: 'Readiness: the database and the job queue answer (503 names what does not)', tags: ['health'] },
  'GET /admin/v1/dead-letters': { operationId: 'listDeadLetters', tags: ['operations'] },
  'POST /admin/v1/dead-letters/redrive': { operationId: 'redriveDeadLetters', tags: ['operations'] },
};
