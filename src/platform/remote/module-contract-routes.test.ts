// The real modules' contract routes check their arguments: a caller holding a valid service token
// still gets a 400 for args that do not fit, never a 500 from the implementation tripping on them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_SECRETS, type TestApp } from '../../../test/support/test-app.js';
import { contractPath } from './contract-methods.js';
import { signServiceToken } from './service-token.js';

describe('contract routes of the modules', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp({ env: { MODULES: 'users,products' } })));
  afterAll(() => app.close());

  const call = (target: string, method: string, body: unknown) =>
    app.server.inject({
      method: 'POST',
      url: contractPath(target, method),
      headers: { authorization: `Bearer ${signServiceToken(TEST_SECRETS.serviceTokenSecret, { caller: 'orders', target })}` },
      payload: body as object,
    });

  const malformed = [
    { args: [] },
    { args: 'ids' },
    { args: [['not-a-uuid']] },
    { args: [[42]] },
    { args: [randomUUID()] },
    { args: [[randomUUID()], { more: true }] },
    { args: [[randomUUID()]], extra: true },
    { args: [Array.from({ length: 101 }, () => randomUUID())] },
  ];

  it.each([
    ['users', 'getPublicProfiles'],
    ['products', 'getProducts'],
  ])('answers malformed args to %s.%s with a 400 problem, and well-formed ones with the result', async (target, method) => {
    for (const body of malformed) {
      const response = await call(target, method, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().errors.length).toBeGreaterThan(0);
    }
    const valid = await call(target, method, { args: [[randomUUID()]] });
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toEqual({ result: [] });
  });
});
