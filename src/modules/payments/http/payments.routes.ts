// Public routes of the payments module: paying an order, reading payments, refunds (admin).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../../platform/http/auth.js';
import { decodeCursor, Page, toPage } from '../../../platform/http/pagination.js';
import { toPaymentView, toRefundView, type PaymentView } from '../domain/payment.js';
import type { PaymentsService } from '../payments.service.js';
import { IdempotencyHeaders, ListPaymentsQuery, PayBody, Payment, PaymentIdParams, Refund, RefundBody } from './schemas.js';

const bearer = [{ bearerAuth: [] }];
const tags = ['payments'];

export function paymentsRoutes(service: PaymentsService) {
  return async function routes(instance: FastifyInstance): Promise<void> {
    const server = instance.withTypeProvider<TypeBoxTypeProvider>();
    const authenticated = [server.authenticate];

    server.post(
      '/api/v1/payments',
      {
        onRequest: authenticated,
        schema: {
          operationId: 'createPayment',
          tags,
          summary: 'Pay an order awaiting payment with a card (the amount is the order’s total)',
          security: bearer,
          headers: IdempotencyHeaders,
          body: PayBody,
          response: { 201: Payment },
          'x-idempotent': true,
          'x-problems': {
            400: 'Invalid fields, or a card that fails its checks (number, expiry)',
            403: 'Only the order’s customer may pay for it',
            404: 'No such order (or not one of the caller’s)',
            409: {
              description:
                'The order cannot be paid in its status, a request with this Idempotency-Key is still in progress, or the order is still being prepared for payment (retry after `retry-after`)',
              retryAfter: true,
            },
            422: 'This Idempotency-Key was already used with a different request',
            502: 'The card gateway could not be reached; nothing was recorded, retry',
          },
        },
      },
      async (request, reply) => {
        const outcome = await service.pay(request.user, request.headers['idempotency-key'], request.body);
        // Lets a client tell a replayed answer from a fresh one (the body is the same either way).
        if (outcome.replayed) reply.header('idempotent-replayed', 'true');
        // A stored answer is replayed as it was first sent: always a 201 payment today.
        return reply.code(outcome.status as 201).send(outcome.body as PaymentView);
      },
    );

    server.get(
      '/api/v1/payments/:id',
      { onRequest: authenticated, schema: { operationId: 'getPayment', tags, summary: 'A payment (your own, or any for admins)', security: bearer, params: PaymentIdParams, response: { 200: Payment } } },
      async (request) => toPaymentView(await service.getVisible(request.user, request.params.id)),
    );

    server.get(
      '/api/v1/payments',
      {
        onRequest: authenticated,
        schema: {
          operationId: 'listPayments',
          tags,
          summary: 'Payments of an order, newest first',
          security: bearer,
          querystring: ListPaymentsQuery,
          response: { 200: Page(Payment) },
          'x-problems': { 404: 'No such order (or not one of the caller’s)' },
        },
      },
      async (request) => {
        const { orderId, limit, cursor } = request.query;
        const rows = await service.paymentsOfOrder(request.user, orderId, limit, decodeCursor(cursor));
        return toPage(rows, limit, (row) => ({ createdAt: row.createdAt.toISOString(), id: row.id }), toPaymentView);
      },
    );

    server.post(
      '/api/v1/payments/:id/refunds',
      {
        onRequest: [server.authenticate, requireRole('admin')],
        // No body at all means the default: refund everything that is left.
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
        schema: {
          operationId: 'refundPayment',
          tags,
          summary: 'Refund part or the rest of a payment (admin)',
          security: bearer,
          params: PaymentIdParams,
          body: RefundBody,
          response: { 201: Refund },
          'x-optional-body': true,
          'x-problems': {
            409: 'A failed payment took no money and cannot be refunded',
            422: 'The payment is already fully refunded, or the amount exceeds what is left',
          },
        },
      },
      async (request, reply) => reply.code(201).send(toRefundView(await service.refund(request.params.id, request.body.amountCents))),
    );
  };
}
