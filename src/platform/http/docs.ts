// The OpenAPI 3 document (/docs/json) is generated from the route schemas; /docs serves the UI.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export async function registerDocs(server: FastifyInstance): Promise<void> {
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Shop API',
        version: '1.0.0',
        description: 'Users, products, orders and payments: one modular monolith, any module extractable.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await server.register(swaggerUi, {
    routePrefix: '/docs',
    // The UI's own scripts and styles, by hash; framing stays forbidden like everywhere else, and
    // nothing is upgraded to https, which would break the docs of a server reached over plain http.
    staticCSP: true,
    transformStaticCSP: (policy) =>
      policy.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, ''),
  });
}
