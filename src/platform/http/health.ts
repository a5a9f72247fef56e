// Liveness says the process answers; readiness says its dependencies do (503 names the failing one).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { sendProblem } from './error-handler.js';

export type HealthCheck = () => Promise<void>;

const CHECK_TIMEOUT_MS = 2000;

export async function registerHealth(server: FastifyInstance, checks: Record<string, HealthCheck>): Promise<void> {
  const status = Type.Object({ status: Type.String() });
  server.get('/health/live', { schema: { tags: ['health'], response: { 200: status } } }, async () => ({ status: 'ok' }));

  server.get(
    '/health/ready',
    { schema: { tags: ['health'], response: { 200: Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) }) } } },
    async (request, reply) => {
      const results: Record<string, string> = {};
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          results[name] = await withTimeout(check()).then(
            () => 'ok',
            () => 'failing',
          );
        }),
      );
      const failing = Object.keys(results).filter((name) => results[name] !== 'ok');
      if (failing.length > 0) {
        return sendProblem(request, reply, 503, `Not ready: ${failing.join(', ')} unreachable`, { checks: results });
      }
      return { status: 'ok', checks: results };
    },
  );
}

function withTimeout(work: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
