// Operator endpoints for the event bus. Dead letters (events whose handler kept failing): list
// them, then redrive them once the handler is fixed. Subscriptions: rewind one to a log position
// or a time, so that it reads those events again (to rebuild a read model, say). Admin only.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { listDeadLetters, redriveDeadLetters } from '../events/dead-letters.js';
import { UnknownSubscriptionError, type EventBus } from '../events/event-bus.js';
import { requireRole } from './auth.js';
import { problem } from './problem.js';

const DeadLetter = Type.Object({
  id: Type.String(),
  subscription: Type.String(),
  event: Type.Object({
    id: Type.String(),
    type: Type.String(),
    version: Type.Number(),
    occurredAt: Type.String(),
    source: Type.String(),
    traceparent: Type.Optional(Type.String()),
    data: Type.Unknown(),
  }),
  attempts: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  deadLetteredAt: Type.String(),
});

const Subscription = Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z0-9.-]+$' });

export async function registerDeadLetterRoutes(server: FastifyInstance, bus: EventBus): Promise<void> {
  const guard = [server.authenticate, requireRole('admin')];
  const bySubscription = <T>(work: () => Promise<T>) =>
    work().catch((error: unknown) => {
      if (error instanceof UnknownSubscriptionError) throw problem.notFound(error.message);
      throw error;
    });

  server.get(
    '/admin/v1/dead-letters',
    {
      onRequest: guard,
      schema: {
        operationId: 'listDeadLetters',
        tags: ['operations'],
        summary: 'List events parked after their handler kept failing',
        security: [{ bearerAuth: [] }],
        querystring: Type.Object({ subscription: Type.Optional(Subscription) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(DeadLetter) }) },
      },
    },
    async (request) => {
      const { subscription } = request.query as { subscription?: string };
      return { items: await bySubscription(() => listDeadLetters(bus, subscription)) };
    },
  );

  server.post(
    '/admin/v1/dead-letters/redrive',
    {
      onRequest: guard,
      schema: {
        operationId: 'redriveDeadLetters',
        tags: ['operations'],
        summary: 'Send dead letters back to their subscription (all, one subscription, or some ids)',
        security: [{ bearerAuth: [] }],
        body: Type.Object(
          {
            subscription: Type.Optional(Subscription),
            ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ redriven: Type.Integer() }) },
      },
    },
    async (request) => {
      const { subscription, ids } = request.body as { subscription?: string; ids?: string[] };
      return { redriven: await bySubscription(() => redriveDeadLetters(bus, subscription, ids)) };
    },
  );

  server.post(
    '/admin/v1/subscriptions/:subscription/rewind',
    {
      onRequest: guard,
      schema: {
        operationId: 'rewindSubscription',
        tags: ['operations'],
        summary: 'Make a subscription read the event log again from a position or a time',
        description:
          'Moves the checkpoint so that the next event the subscription reads is the one at `position`, or the first that occurred at or after `time` (in log order). Its handler gets those events again.',
        security: [{ bearerAuth: [] }],
        params: Type.Object({ subscription: Subscription }),
        body: Type.Union(
          [
            Type.Object({ position: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
            Type.Object({ time: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
          ],
          { title: 'RewindTarget' },
        ),
        response: { 200: Type.Object({ subscription: Type.String(), position: Type.Integer({ description: 'The checkpoint: the subscription next reads events after it, in log order' }) }) },
        'x-problems': { 404: 'No such subscription, or no event at that position' },
      },
    },
    async (request) => {
      const { subscription } = request.params as { subscription: string };
      const body = request.body as { position: number } | { time: string };
      const to = 'position' in body ? { position: body.position } : { time: new Date(body.time) };
      const moved = await bySubscription(() => bus.rewind(subscription, to));
      if (!moved) throw problem.notFound(`the event log holds no event at position ${(body as { position: number }).position}`);
      return { subscription, position: moved.position };
    },
  );
}
