// Liveness says the process answers; readiness says its dependencies do (503 names the failing one).
// A dependency may be made of parts (the database: the platform's pool and every hosted module's
// pool): it is ready only when every part answers, and a 503 says which part did not.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { sendProblem } from './error-handler.js';

export type HealthCheck = () => Promise<void>;

/** One check, or a check made of named parts that must all pass. */
export type HealthChecks = Record<string, HealthCheck | Record<string, HealthCheck>>;

/** How long each check (each part) may take; a slower one counts as failing. */
export const CHECK_TIMEOUT_MS = 2000;

/** `draining`: true once the process is about to close; readiness then says 503 whatever the checks say. */
export async function registerHealth(server: FastifyInstance, checks: HealthChecks, draining: () => boolean = () => false): Promise<void> {
  const status = Type.Object({ status: Type.String() });
  server.get('/health/live', { schema: { operationId: 'getLiveness', summary: 'Liveness: the process answers', tags: ['health'], response: { 200: status } } }, async () => ({ status: 'ok' }));

  server.get(
    '/health/ready',
    { schema: { operationId: 'getReadiness', summary: 'Readiness: the database and the job queue answer (503 names what does not)', tags: ['health'], response: { 200: Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) }) } } },
    async (request, reply) => {
      // A load balancer's cue to stop sending, while the requests it still sends are served.
      if (draining()) return sendProblem(request, reply, 503, 'Not ready: shutting down');
      const results: Record<string, string> = {};
      const parts: Record<string, Record<string, string>> = {};
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          if (typeof check === 'function') {
            results[name] = await outcome(check);
            return;
          }
          const outcomes = Object.fromEntries(await Promise.all(Object.entries(check).map(async ([part, partCheck]) => [part, await outcome(partCheck)])));
          results[name] = Object.values(outcomes).every((result) => result === 'ok') ? 'ok' : 'failing';
          if (results[name] !== 'ok') parts[name] = outcomes;
        }),
      );
      const failing = Object.keys(results).filter((name) => results[name] !== 'ok');
      if (failing.length > 0) {
        return sendProblem(request, reply, 503, `Not ready: ${failing.join(', ')} unreachable`, {
          checks: results,
          ...(Object.keys(parts).length > 0 ? { parts } : {}),
        });
      }
      return { status: 'ok', checks: results };
    },
  );
}

function outcome(check: HealthCheck): Promise<string> {
  return withTimeout(check()).then(
    () => 'ok',
    () => 'failing',
  );
}

function withTimeout(work: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
