// A process documents every module's operations, hosted or forwarded: the split topology's gateway
// (users and products here, orders and payments elsewhere) serves the same operations in its
// /docs/json as the monolith, while requests under the remote modules' prefixes are still
// forwarded, never answered by the routes registered for the document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/support/test-app.js';
import { startTestApp } from '../../../test/support/test-app.js';

// Nothing listens there: forwarding answers 503, which tells a forwarded request from a local one.
const NOWHERE = 'http://127.0.0.1:9';

type Document = { paths: Record<string, Record<string, { operationId?: string }>> };
const operations = (document: Document) =>
  Object.entries(document.paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId ?? ''}`))
    .sort();

describe('documents of modules hosted elsewhere', () => {
  let monolith: TestApp;
  let gateway: TestApp;
  beforeAll(async () => {
    monolith = await startTestApp();
    gateway = await startTestApp({
      databaseUrl: monolith.databaseUrl,
      env: { MODULES: 'users,products', REMOTE_MODULES: `orders=${NOWHERE},payments=${NOWHERE}` },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await monolith?.close();
  });

  const documentOf = async (app: TestApp): Promise<Document> => {
    const response = await app.server.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  it('documents the same operations (path, method, operationId) as the monolith', async () => {
    const [inMonolith, onGateway] = await Promise.all([documentOf(monolith), documentOf(gateway)]);
    expect(gateway.hosted.sort()).toEqual(['products', 'users']);
    expect(operations(onGateway)).toEqual(operations(inMonolith));
    expect(Object.keys(onGateway.paths)).toEqual(expect.arrayContaining(['/api/v1/orders', '/api/v2/orders/{id}', '/api/v1/payments']));
  });

  it('documents a remote operation exactly as its host does (same schemas, deprecation included)', async () => {
    const [inMonolith, onGateway] = await Promise.all([documentOf(monolith), documentOf(gateway)]);
    for (const path of ['/api/v1/orders/{id}', '/api/v2/orders', '/api/v1/payments']) {
      expect(onGateway.paths[path], path).toEqual(inMonolith.paths[path]);
    }
  });

  it('still forwards requests under the remote prefixes (nothing local answers them)', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/orders'],
      ['GET', '/api/v2/orders/7b0c8b4e-3f4e-4a51-9c1e-2b8f0d6a1c11'],
      ['HEAD', '/api/v1/orders/7b0c8b4e-3f4e-4a51-9c1e-2b8f0d6a1c11'],
      ['POST', '/api/v1/payments'],
    ] as const) {
      const response = await gateway.server.inject({ method, url, headers: { authorization: 'Bearer whatever' } });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(503);
    }
  });
});
