// The OpenAPI 3 document (/docs/json) is generated from the route schemas and finished for
// clients that generate code from it (openapi-document.ts); /docs serves the UI.
// The AsyncAPI 3 document of the events (/docs/asyncapi.json) is built from the module definitions
// and linked from the UI's description.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { ModuleDefinition } from '../modules/module-definition.js';
import { asyncApiDocument } from './asyncapi.js';
import { finishOpenApiDocument, type OpenApiDocument } from './openapi-document.js';

const INFO = { title: 'Shop API', version: '1.0.0' };
const ASYNCAPI_URL = '/docs/asyncapi.json';

/** `modules`: every module of the application, hosted here or not; their events are documented. */
export async function registerDocs(server: FastifyInstance, modules: readonly ModuleDefinition[] = []): Promise<void> {
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        ...INFO,
        description:
          'Users, products, orders and payments: one modular monolith, any module extractable.\n\n' +
          `The events the modules publish and subscribe to are described in the [AsyncAPI 3 document](${ASYNCAPI_URL}).`,
      },
      // Relative: the document is served by the server it describes, wherever that is reached.
      servers: [{ url: '/', description: 'The server serving this document' }],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    // Problems, headers, named schemas: see openapi-document.ts. Built once, on the first request.
    transformObject: (documentObject) => finishOpenApiDocument((documentObject as { openapiObject: OpenApiDocument }).openapiObject),
  });
  await server.register(swaggerUi, {
    routePrefix: '/docs',
    // The UI's own scripts and styles, by hash; framing stays forbidden like everywhere else, and
    // nothing is upgraded to https, which would break the docs of a server reached over plain http.
    staticCSP: true,
    transformStaticCSP: (policy) =>
      policy.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  // Built once, at start-up: the definitions do not change while the process runs.
  const events = asyncApiDocument(modules, {
    ...INFO,
    description: 'The events of the shop: a channel per event type, a message per version, and who publishes and subscribes to each.',
  });
  server.get(ASYNCAPI_URL, { schema: { hide: true } }, async () => events);
}
