// Version 2 of the orders API: the same use cases as version 1 (orders.routes.ts), the same
// requests, authentication and errors, answered in the v2 view (order-view.v2.ts): money as
// objects, and each line with its product.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../../platform/http/auth.js';
import { decodeCursor, toPage } from '../../../platform/http/pagination.js';
import type { Logger } from '../../../platform/logging/logger.js';
import type { ProductsApi } from '../../products/api.js';
import type { Order } from '../domain/order.js';
import type { OrdersService } from '../orders.service.js';
import { convertLegacyOrderBody } from './legacy-order-body.js';
import { lineProducts } from './line-products.v2.js';
import { fromComposed, toOrderV2 } from './order-view.v2.js';
import { CANCEL_ORDER_PROBLEMS, PLACE_ORDER_PROBLEMS } from './order-problems.js';
import { LegacyPlaceOrderBody, ListOrdersQuery, OrderIdParams, PlaceOrderBody } from './schemas.js';
import { OrderPageV2, OrderV2 } from './schemas.v2.js';

const bearer = [{ bearerAuth: [] }];
const tags = ['orders'];

export function ordersV2Routes(service: OrdersService, products: ProductsApi, logger: Logger) {
  const view = async (orders: Order[]) => {
    const { byId, degraded } = await lineProducts(orders, products, logger);
    return orders.map((order) => toOrderV2(order, byId, degraded));
  };
  const viewOne = async (order: Order) => (await view([order]))[0]!;

  return async function routes(instance: FastifyInstance): Promise<void> {
    const server = instance.withTypeProvider<TypeBoxTypeProvider>();
    const authenticated = [server.authenticate];

    server.post(
      '/api/v2/orders',
      {
        // Orders are placed by customers for themselves; an admin has no basket.
        onRequest: [server.authenticate, requireRole('customer')],
        preValidation: convertLegacyOrderBody,
        schema: {
          tags,
          operationId: 'placeOrderV2',
          summary: 'Place an order (prices come from the catalog)',
          security: bearer,
          body: PlaceOrderBody,
          response: { 201: OrderV2 },
          // convertLegacyOrderBody turns it into PlaceOrderBody before validation.
          'x-alternative-bodies': [LegacyPlaceOrderBody],
          'x-problems': PLACE_ORDER_PROBLEMS,
        },
      },
      async (request, reply) => reply.code(201).send(await viewOne(await service.place(request.user, request.body))),
    );

    server.get(
      '/api/v2/orders',
      {
        onRequest: authenticated,
        schema: {
          tags,
          operationId: 'listOrdersV2',
          summary: 'Orders, newest first (your own, or all for admins), each line with its product',
          security: bearer,
          querystring: ListOrdersQuery,
          response: { 200: OrderPageV2 },
        },
      },
      async (request) => {
        const { limit, cursor, status } = request.query;
        const orders = await service.list(request.user, status, limit, decodeCursor(cursor));
        // Paged as v1 pages; the products of the whole page are then looked up at once.
        const page = toPage(orders, limit, (order) => ({ createdAt: order.createdAt.toISOString(), id: order.id }), (order) => order);
        return { items: await view(page.items), nextCursor: page.nextCursor };
      },
    );

    server.get(
      '/api/v2/orders/:id',
      {
        onRequest: authenticated,
        schema: {
          tags,
          operationId: 'getOrderV2',
          summary: 'An order with its customer and products',
          security: bearer,
          params: OrderIdParams,
          response: { 200: OrderV2 },
        },
      },
      async (request) => fromComposed(await service.getComposed(request.user, request.params.id)),
    );

    server.post(
      '/api/v2/orders/:id/cancel',
      {
        onRequest: authenticated,
        schema: {
          tags,
          operationId: 'cancelOrderV2',
          summary: 'Cancel an order that is pending or awaiting payment',
          security: bearer,
          params: OrderIdParams,
          response: { 200: OrderV2 },
          'x-problems': CANCEL_ORDER_PROBLEMS,
        },
      },
      async (request) => viewOne(await service.cancel(request.user, request.params.id)),
    );
  };
}
