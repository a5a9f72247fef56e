// Leaving a load balancer's rotation without dropping anyone: `begin()` marks the process draining
// (readiness, health.ts, then answers 503, so the balancer stops sending new requests) while every
// request keeps being served; once the app closes, a request still arriving on an open connection
// is refused with a 503 problem+json and the connection is closed, instead of Fastify's own plain
// 503. Requests already running finish.
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './error-handler.js';

export interface Drain {
  /** From now on the process is draining: it is about to close. */
  begin(): void;
  readonly draining: boolean;
}

export function installDrain(server: FastifyInstance): Drain {
  let draining = false;
  let closing = false;
  server.addHook('preClose', async () => {
    draining = true;
    closing = true;
  });
  server.addHook('onRequest', async (request, reply) => {
    if (closing) {
      reply.header('connection', 'close').header('retry-after', '1');
      return sendProblem(request, reply, 503, 'The server is shutting down; retry the request');
    }
  });
  return {
    begin: () => {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
}
