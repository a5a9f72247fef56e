// A request's module is the one owning the route that served it: found from the modules' route
// prefixes when the route is registered, so a module's own routes, a proxy's catch-alls for a module
// hosted elsewhere and a contract's internal routes all name their module.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { contractPath } from '../remote/contract-methods.js';
import { labelRoutesWithModule, moduleOfRequest, NO_ROUTE, PLATFORM_ROUTES, routeOwnerLookup } from './route-modules.js';

const OWNERS = [
  { name: 'users', routePrefixes: ['/api/v1/users', '/api/v1/auth'] },
  { name: 'products', routePrefixes: ['/api/v1/products'] },
  { name: 'orders', routePrefixes: ['/api/v1/orders'] },
];

describe('route owner lookup', () => {
  const ownerOf = routeOwnerLookup(OWNERS);

  it('finds the module whose prefix the route lies under, and nothing for other routes', () => {
    expect(ownerOf('/api/v1/products')).toBe('products');
    expect(ownerOf('/api/v1/products/:id')).toBe('products');
    expect(ownerOf('/api/v1/auth/login')).toBe('users');
    expect(ownerOf('/api/v1/orders/*')).toBe('orders');
    expect(ownerOf('/api/v1/productsandmore')).toBeUndefined();
    expect(ownerOf('/health/live')).toBeUndefined();
    expect(ownerOf('/admin/v1/dead-letters')).toBeUndefined();
  });

  it('gives a contract’s internal routes to the module that serves the contract', () => {
    expect(ownerOf(contractPath('products', 'getProducts'))).toBe('products');
    expect(ownerOf(contractPath('users', 'getPublicProfiles'))).toBe('users');
  });

  it('prefers the closer owner when one prefix lies under another', () => {
    const nested = routeOwnerLookup([
      { name: 'catalog', routePrefixes: ['/api/v1/catalog'] },
      { name: 'reviews', routePrefixes: ['/api/v1/catalog/reviews'] },
    ]);
    expect(nested('/api/v1/catalog/reviews/:id')).toBe('reviews');
    expect(nested('/api/v1/catalog/:id')).toBe('catalog');
  });
});

describe('module of a request', () => {
  let server: FastifyInstance;
  afterEach(() => server.close());

  async function serve(): Promise<string[]> {
    server = Fastify();
    labelRoutesWithModule(server, OWNERS);
    const seen: string[] = [];
    server.addHook('onResponse', async (request) => {
      seen.push(moduleOfRequest(request));
    });
    // A module's routes come in a plugin of their own, as the composition root registers them.
    await server.register(async (scope) => {
      scope.get('/api/v1/products/:id', async () => ({}));
    });
    // What the proxy registers for a module hosted elsewhere.
    await server.register(async (scope) => {
      scope.all('/api/v1/orders/*', async () => ({}));
    });
    server.post(contractPath('users', 'getPublicProfiles'), async () => ({}));
    server.get('/health/live', async () => ({}));
    await server.ready();
    return seen;
  }

  it('names the owning module, `platform` for the platform’s routes and `none` when no route matched', async () => {
    const seen = await serve();
    await server.inject({ url: '/api/v1/products/42' });
    await server.inject({ method: 'HEAD', url: '/api/v1/products/42' });
    await server.inject({ method: 'DELETE', url: '/api/v1/orders/7' });
    await server.inject({ method: 'POST', url: contractPath('users', 'getPublicProfiles') });
    await server.inject({ url: '/health/live' });
    await server.inject({ url: '/api/v1/nowhere' });
    expect(seen).toEqual(['products', 'products', 'orders', 'users', PLATFORM_ROUTES, NO_ROUTE]);
  });
});
