// The app's OpenAPI document, hosting what MODULES names by default (every module of the registry):
// each module's public routes are in it, so a module added with `npm run new:module` is documented
// with no other edit. It is one clients can generate code from: it holds against the routes the
// app really serves, every operation is named, every answer documented (errors as problem+json),
// every body and answer a named schema, and Redocly's recommended rules find nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODULES } from '../src/module-registry.js';
import { lintOpenApi } from './support/openapi-lint.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { ADMIN_ENV, loginAdmin } from './support/users.js';

type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SCHEMAS = '#/components/schemas/';

/** `METHOD /path/{param}` of every operation of the document. */
function operations(document: Json): Array<{ key: string; path: string; method: string; operation: Json }> {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, path, method, operation: operation as Json })),
  );
}

/**
 * `METHOD /path/{param}` of every route the server serves, from its route tree (printRoutes, one
 * line per node: the indentation says the depth, the text continues the parent's path). HEAD
 * routes Fastify adds to each GET are left out: the document describes the GET.
 */
function servedRoutes(tree: string): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)(?:[├└]── )?(.*?) \(([A-Z, ]+)\)$/u.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (prefixes[depth - 1] ?? '') + match[2]!;
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  }
  return routes;
}

function resolve(document: Json, ref: string): Json | undefined {
  return ref.startsWith(SCHEMAS) ? document.components.schemas[ref.slice(SCHEMAS.length)] : undefined;
}

/** A top-level body or answer schema: a named one, or (alternative bodies) a choice of named ones. */
function isNamed(document: Json, schema: Json | undefined): boolean {
  if (schema === undefined) return false;
  if (typeof schema.$ref === 'string') return resolve(document, schema.$ref) !== undefined && Object.keys(schema).length === 1;
  return Array.isArray(schema.oneOf) && Object.keys(schema).length === 1 && schema.oneOf.every((item: Json) => isNamed(document, item));
}

describe('GET /docs/json', () => {
  let app: TestApp;
  let document: Json;
  beforeAll(async () => {
    app = await startTestApp({ env: ADMIN_ENV });
    const response = await app.server.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(() => app.close());

  it('documents operations under every route prefix of every module it hosts by default', async () => {
    const paths = Object.keys(document.paths);
    for (const module of ALL_MODULES) {
      for (const prefix of module.routePrefixes) {
        expect(paths.filter((path) => path === prefix || path.startsWith(`${prefix}/`)), `${module.name}: ${prefix}`).not.toEqual([]);
      }
    }
  });

  it('documents every public route the app serves, and nothing it does not serve', () => {
    const served = servedRoutes(app.server.printRoutes({ commonPrefix: false }));
    const documented = operations(document).map(({ key }) => key);
    const publicRoutes = served.filter((route) => route.split(' ')[1]!.startsWith('/api/'));
    expect(publicRoutes.length).toBeGreaterThanOrEqual(20);
    expect(publicRoutes.filter((route) => !documented.includes(route)), 'served, not documented').toEqual([]);
    expect(documented.filter((operation) => !served.includes(operation)), 'documented, not served').toEqual([]);
  });

  it('names every operation: a unique camelCase operationId, tags and a summary', () => {
    const ids = operations(document).map(({ key, operation }) => {
      expect(operation.operationId, key).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(operation.tags, key).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(operation.summary, key).toEqual(expect.stringMatching(/\S/));
      return operation.operationId as string;
    });
    expect(ids.filter((id, index) => ids.indexOf(id) !== index), 'operationIds used twice').toEqual([]);
  });

  it('answers every error as problem+json with the Problem or ValidationProblem schema, and every answer names its request id', () => {
    for (const { key, operation } of operations(document)) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, key).toEqual(expect.arrayContaining(['400', '500', '503']));
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        expect(response.headers?.['x-request-id'], `${key} ${status}`).toEqual({ $ref: '#/components/headers/RequestId' });
        if (status.startsWith('2')) continue;
        expect(Object.keys(response.content), `${key} ${status}`).toEqual(['application/problem+json']);
        expect(['#/components/schemas/Problem', '#/components/schemas/ValidationProblem'], `${key} ${status}`).toContain(response.content['application/problem+json'].schema.$ref);
      }
      if (operation.security?.length > 0) expect(statuses, key).toEqual(expect.arrayContaining(['401', '403']));
      if (key.includes('{')) expect(statuses, key).toContain('404');
      if (operation.requestBody) expect(statuses, key).toEqual(expect.arrayContaining(['413', '415']));
      if (key.split(' ')[1]!.startsWith('/api/')) {
        expect(operation.responses['429']?.headers['retry-after'], key).toMatchObject({ required: true });
        expect(operation.responses['503']?.headers['retry-after'], key).toBeDefined();
      }
    }
    expect(document.components.schemas.ValidationProblem.properties.errors.items).toEqual({ $ref: '#/components/schemas/FieldError' });
  });

  it('refers every body and answer of the public API to a named schema, and every reference to one that exists', () => {
    for (const { key, path, operation } of operations(document)) {
      // The probes' and the dead letters' answers are for operators, not for generated clients.
      if (!path.startsWith('/api/')) continue;
      for (const [type, media] of Object.entries((operation.requestBody?.content ?? {}) as Json)) expect(isNamed(document, media.schema), `${key} body ${type}`).toBe(true);
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        for (const [type, media] of Object.entries((response.content ?? {}) as Json)) expect(isNamed(document, media.schema), `${key} ${status} ${type}`).toBe(true);
      }
    }
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.filter((ref) => ref.startsWith(SCHEMAS) && resolve(document, ref) === undefined), 'dangling references').toEqual([]);
    for (const name of ['Order', 'OrderPage', 'Product', 'ProductPage', 'Payment', 'PaymentPage', 'Refund', 'User', 'Address', 'AddressPage', 'PlaceOrderRequest', 'Problem', 'ValidationProblem']) {
      expect(document.components.schemas, name).toHaveProperty(name);
    }
  });

  it('says what the routes accept beyond their validated schema: the default limit, the legacy order body, a refund without a body, idempotency headers', () => {
    for (const { key, operation } of operations(document)) {
      const limit = (operation.parameters ?? []).find((parameter: Json) => parameter.in === 'query' && parameter.name === 'limit');
      if (limit) expect(limit, key).toMatchObject({ required: false, schema: { default: 20 } });
    }
    const placeOrder = document.paths['/api/v1/orders'].post;
    expect(placeOrder.requestBody.content['application/json'].schema).toEqual({
      oneOf: [{ $ref: '#/components/schemas/PlaceOrderRequest' }, { $ref: '#/components/schemas/LegacyPlaceOrderRequest' }],
    });
    expect(document.components.schemas.LegacyPlaceOrderRequest).toMatchObject({ deprecated: true, required: ['products', 'shippingAddress'] });
    expect(document.paths['/api/v1/payments/{id}/refunds'].post.requestBody.required).toBe(false);
    const pay = document.paths['/api/v1/payments'].post;
    expect(pay.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key', required: true })]));
    expect(pay.responses['201'].headers['idempotent-replayed']).toEqual({ $ref: '#/components/headers/IdempotentReplayed' });
    expect(Object.keys(pay.responses)).toEqual(expect.arrayContaining(['404', '409', '422', '502']));
    // Route facts only: nothing of the `x-` keys the routes use to say them is left.
    expect(JSON.stringify(document)).not.toMatch(/"x-(problems|alternative-bodies|optional-body|idempotent)"/);
  });

  it('fills in the documented default limit: a list without `limit` answers pages of 20', async () => {
    const admin = (await loginAdmin(app.server)).auth;
    for (let index = 0; index < 21; index += 1) {
      const created = await app.server.inject({ method: 'POST', url: '/api/v1/products', headers: admin, payload: { sku: `LIMIT-${index}`, name: `Limit ${index}`, priceCents: 100, stock: 1 } });
      expect(created.statusCode, created.body).toBe(201);
    }
    const page = (await app.server.inject({ url: '/api/v1/products' })).json();
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('passes Redocly’s recommended rules without a warning', async () => {
    expect(await lintOpenApi(document)).toEqual([]);
  });
});
