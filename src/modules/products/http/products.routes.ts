// Public routes of the products module: the catalog, readable by anyone and kept by admins.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../../platform/http/auth.js';
import { decodeCursor, Page, toPage } from '../../../platform/http/pagination.js';
import { DEFAULT_CURRENCY } from '../domain/currencies.js';
import { toProductView } from '../domain/product.js';
import type { ProductsService } from '../products.service.js';
import { CreateProductBody, Product, ProductIdParams, ProductListQuery, UpdateProductBody } from './schemas.js';

const bearer = [{ bearerAuth: [] }];
const tags = ['products'];

export function productsRoutes(service: ProductsService) {
  return async function routes(instance: FastifyInstance): Promise<void> {
    const server = instance.withTypeProvider<TypeBoxTypeProvider>();
    const adminOnly = [server.authenticate, requireRole('admin')];

    server.post(
      '/api/v1/products',
      {
        onRequest: adminOnly,
        schema: {
          operationId: 'createProduct',
          tags,
          summary: 'Add a product to the catalog (admin)',
          security: bearer,
          body: CreateProductBody,
          response: { 201: Product },
          'x-problems': { 409: 'A product with this sku already exists' },
        },
      },
      async (request, reply) => {
        const { sku, name, description, priceCents, currency, stock } = request.body;
        const product = await service.create({ sku, name, description: description ?? null, priceCents, currency: currency ?? DEFAULT_CURRENCY, stock });
        return reply.code(201).send(toProductView(product));
      },
    );

    server.get(
      '/api/v1/products',
      {
        schema: {
          operationId: 'listProducts',
          tags,
          summary: 'The catalog, newest first; `q` matches name or sku in any letter case',
          querystring: ProductListQuery,
          response: { 200: Page(Product) },
        },
      },
      async (request) => {
        const { limit, cursor, q } = request.query;
        const rows = await service.list(q ? q : null, limit, decodeCursor(cursor));
        return toPage(rows, limit, (row) => ({ createdAt: row.createdAt.toISOString(), id: row.id }), toProductView);
      },
    );

    server.get(
      '/api/v1/products/:id',
      { schema: { operationId: 'getProduct', tags, summary: 'A product with its stock and reserved units', params: ProductIdParams, response: { 200: Product } } },
      async (request) => toProductView(await service.get(request.params.id)),
    );

    server.patch(
      '/api/v1/products/:id',
      {
        onRequest: adminOnly,
        schema: {
          operationId: 'updateProduct',
          tags,
          summary: 'Change name, description, price or stock (admin); stock cannot go below the reserved units',
          security: bearer,
          params: ProductIdParams,
          body: UpdateProductBody,
          response: { 200: Product },
          'x-problems': { 409: 'The stock would go below the units reserved for orders' },
        },
      },
      async (request) => toProductView(await service.update(request.params.id, request.body)),
    );
  };
}
