// The app's OpenAPI document, hosting what MODULES names by default (every module of the registry):
// each module's public routes are in it, so a module added with `npm run new:module` is documented
// with no other edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODULES } from '../src/module-registry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('GET /docs/json', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('documents operations under every route prefix of every module it hosts by default', async () => {
    const response = await app.server.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    for (const module of ALL_MODULES) {
      for (const prefix of module.routePrefixes) {
        expect(paths.filter((path) => path === prefix || path.startsWith(`${prefix}/`)), `${module.name}: ${prefix}`).not.toEqual([]);
      }
    }
  });
});
