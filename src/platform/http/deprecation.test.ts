// deprecate(): the headers every answer under the deprecated prefix carries (errors too), none
// elsewhere, the successor link per operation, and the operations marked in the route schemas.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deprecate, deprecationHeaders, type Deprecation } from './deprecation.js';

const V1: Deprecation = {
  prefix: '/api/v1/things',
  successor: '/api/v2/things',
  samePaths: true,
  deprecatedAt: new Date('2026-12-01T00:00:00Z'),
  sunsetAt: new Date('2027-06-30T00:00:00Z'),
};

describe('deprecate', () => {
  let server: FastifyInstance;
  const schemas: Record<string, Record<string, unknown> | undefined> = {};
  beforeAll(async () => {
    server = Fastify();
    await server.register(async (scope) => {
      deprecate(scope, V1);
      scope.addHook('onRoute', (route) => void (schemas[route.url] = route.schema as Record<string, unknown>));
      scope.get('/api/v1/things/:id', { schema: { response: { 200: { type: 'object' } } } }, async (request) => {
        if ((request.params as { id: string }).id === 'missing') throw Object.assign(new Error('no such thing'), { statusCode: 404 });
        return {};
      });
      scope.get('/api/v2/things/:id', async () => ({}));
    });
    await server.ready();
  });
  afterAll(() => server.close());

  it('writes Deprecation as @<Unix seconds>, Sunset as an HTTP-date, Link to the successor', () => {
    expect(deprecationHeaders(V1)).toEqual({
      deprecation: '@1796083200',
      sunset: 'Wed, 30 Jun 2027 00:00:00 GMT',
      link: '</api/v2/things>; rel="successor-version"',
    });
  });

  it('answers the headers on success and on errors, linking the counterpart operation', async () => {
    for (const [url, status] of [['/api/v1/things/42', 200], ['/api/v1/things/missing', 404]] as const) {
      const response = await server.inject({ url });
      expect(response.statusCode).toBe(status);
      expect(response.headers).toMatchObject({ deprecation: '@1796083200', sunset: 'Wed, 30 Jun 2027 00:00:00 GMT' });
      expect(response.headers.link).toBe(`<${url.replace('/v1/', '/v2/')}>; rel="successor-version"`);
    }
  });

  it('links the successor itself when the path could not be echoed safely', async () => {
    const response = await server.inject({ url: '/api/v1/things/a%3E%3Cb' });
    expect(response.headers.link).toBe('</api/v2/things/a%3E%3Cb>; rel="successor-version"');
    const odd = await server.inject({ url: "/api/v1/things/it's" });
    expect(odd.headers.link).toBe('</api/v2/things>; rel="successor-version"');
  });

  it('leaves other routes alone', async () => {
    const response = await server.inject({ url: '/api/v2/things/42' });
    expect(response.headers).not.toHaveProperty('deprecation');
    expect(response.headers).not.toHaveProperty('link');
    expect(schemas['/api/v2/things/:id']?.deprecated).toBeUndefined();
  });

  it('marks the deprecated routes in their schemas, with the headers on each documented response', () => {
    const schema = schemas['/api/v1/things/:id']!;
    expect(schema.deprecated).toBe(true);
    expect(Object.keys((schema.response as Record<string, { headers: object }>)['200']!.headers)).toEqual(['Deprecation', 'Sunset', 'Link']);
  });

  it('refuses a sunset that does not come after the deprecation', () => {
    expect(() => deprecate(Fastify(), { ...V1, sunsetAt: V1.deprecatedAt })).toThrow(/sunset must come after/);
  });
});
