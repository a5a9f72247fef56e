// Public routes of the orders module: placing, listing, reading and cancelling orders.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../../platform/http/auth.js';
import { decodeCursor, Page, toPage } from '../../../platform/http/pagination.js';
import { toOrderView } from '../domain/order.js';
import type { OrdersService } from '../orders.service.js';
import { convertLegacyOrderBody } from './legacy-order-body.js';
import { CANCEL_ORDER_PROBLEMS, PLACE_ORDER_PROBLEMS } from './order-problems.js';
import { ComposedOrder, LegacyPlaceOrderBody, ListOrdersQuery, Order, OrderIdParams, PlaceOrderBody } from './schemas.js';

const bearer = [{ bearerAuth: [] }];
const tags = ['orders'];

export function ordersRoutes(service: OrdersService) {
  return async function routes(instance: FastifyInstance): Promise<void> {
    const server = instance.withTypeProvider<TypeBoxTypeProvider>();
    const authenticated = [server.authenticate];

    server.post(
      '/api/v1/orders',
      {
        // Orders are placed by customers for themselves; an admin has no basket.
        onRequest: [server.authenticate, requireRole('customer')],
        preValidation: convertLegacyOrderBody,
        schema: {
          operationId: 'placeOrder',
          tags,
          summary: 'Place an order (prices come from the catalog)',
          security: bearer,
          body: PlaceOrderBody,
          response: { 201: Order },
          // convertLegacyOrderBody turns it into PlaceOrderBody before validation.
          'x-alternative-bodies': [LegacyPlaceOrderBody],
          'x-problems': PLACE_ORDER_PROBLEMS,
        },
      },
      async (request, reply) => reply.code(201).send(toOrderView(await service.place(request.user, request.body))),
    );

    server.get(
      '/api/v1/orders',
      {
        onRequest: authenticated,
        schema: { operationId: 'listOrders', tags, summary: 'Orders, newest first (your own, or all for admins)', security: bearer, querystring: ListOrdersQuery, response: { 200: Page(Order) } },
      },
      async (request) => {
        const { limit, cursor, status } = request.query;
        const orders = await service.list(request.user, status, limit, decodeCursor(cursor));
        return toPage(orders, limit, (order) => ({ createdAt: order.createdAt.toISOString(), id: order.id }), toOrderView);
      },
    );

    server.get(
      '/api/v1/orders/:id',
      {
        onRequest: authenticated,
        schema: { operationId: 'getOrder', tags, summary: 'An order with its customer and products', security: bearer, params: OrderIdParams, response: { 200: ComposedOrder } },
      },
      async (request) => service.getComposed(request.user, request.params.id),
    );

    server.post(
      '/api/v1/orders/:id/cancel',
      {
        onRequest: authenticated,
        schema: {
          operationId: 'cancelOrder',
          tags,
          summary: 'Cancel an order that is pending or awaiting payment',
          security: bearer,
          params: OrderIdParams,
          response: { 200: Order },
          'x-problems': CANCEL_ORDER_PROBLEMS,
        },
      },
      async (request) => toOrderView(await service.cancel(request.user, request.params.id)),
    );
  };
}
