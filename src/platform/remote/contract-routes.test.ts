import { createSigner } from 'fast-jwt';
import { afterEach, describe, expect, it } from 'vitest';
import { contractPath, kebabCase } from './contract-methods.js';
import { signServiceToken } from './service-token.js';
import { CATALOG, FakeCatalog, startCatalogServer, TEST_SECRET, type RunningServer } from './testing/fake-catalog.js';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function serve(api = new FakeCatalog(), options: { docs?: boolean } = {}) {
  running = await startCatalogServer(api, options);
  return { api, url: running.url };
}

function post(url: string, path: string, body: unknown, authorization?: string) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
}

const validToken = () => `Bearer ${signServiceToken(TEST_SECRET, { caller: 'orders', target: CATALOG })}`;
const lookupPath = contractPath(CATALOG, 'lookup');

async function expectUnauthorized(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized', instance: lookupPath });
}

describe('contract routes', () => {
  it('names each route after its module and its method in kebab-case', () => {
    expect(contractPath('users', 'getPublicProfiles')).toBe('/internal/v1/users/get-public-profiles');
    expect(kebabCase('lookupURLFor')).toBe('lookup-url-for');
    expect(() => contractPath('../users', 'x')).toThrow();
  });

  it('calls the hosted implementation with the posted args and answers its result', async () => {
    const { api, url } = await serve();
    const response = await post(url, lookupPath, { args: [['a', 'b']] }, validToken());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: [{ id: 'a', name: 'catalog:a' }, { id: 'b', name: 'catalog:b' }] });
    expect(api.invocations.lookup).toBe(1);
  });

  it('refuses a call without a service token with a 401 problem, before reaching the implementation', async () => {
    const { api, url } = await serve();
    await expectUnauthorized(await post(url, lookupPath, { args: [['a']] }));
    await expectUnauthorized(await post(url, lookupPath, { args: [['a']] }, 'Basic b3JkZXJzOnB3'));
    expect(api.invocations.lookup).toBe(0);
  });

  it('refuses an expired service token', async () => {
    const { api, url } = await serve();
    const past = Math.floor(Date.now() / 1000) - 120;
    const expired = createSigner({ key: TEST_SECRET, algorithm: 'HS256', noTimestamp: true })({
      iss: 'shop',
      sub: 'orders',
      aud: CATALOG,
      iat: past,
      exp: past + 60,
    });
    await expectUnauthorized(await post(url, lookupPath, { args: [['a']] }, `Bearer ${expired}`));
    expect(api.invocations.lookup).toBe(0);
  });

  it('refuses a service token addressed to another module', async () => {
    const { url } = await serve();
    const elsewhere = signServiceToken(TEST_SECRET, { caller: 'orders', target: 'users' });
    await expectUnauthorized(await post(url, lookupPath, { args: [['a']] }, `Bearer ${elsewhere}`));
  });

  it('refuses a service token signed with another secret', async () => {
    const { url } = await serve();
    const forged = signServiceToken('not-the-shared-secret-0123456789abcdef', { caller: 'orders', target: CATALOG });
    await expectUnauthorized(await post(url, lookupPath, { args: [['a']] }, `Bearer ${forged}`));
  });

  it('turns an error thrown by the implementation into a 500 problem that reveals nothing', async () => {
    const api = new FakeCatalog();
    api.behaviour = 'fail';
    const { url } = await serve(api);
    const response = await post(url, lookupPath, { args: [['a']] }, validToken());
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body).toMatchObject({ status: 500, detail: 'An unexpected error occurred' });
    expect(JSON.stringify(body)).not.toContain('fake catalog');
  });

  it('keeps the status of an HttpProblem thrown by the implementation', async () => {
    const api = new FakeCatalog();
    api.behaviour = 'refuse';
    const { url } = await serve(api);
    const response = await post(url, lookupPath, { args: [['a']] }, validToken());
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, detail: 'No such catalog entry' });
  });

  it('rejects a body that is not { args: [...] } with a 400 problem', async () => {
    const { api, url } = await serve();
    for (const body of [{ args: 'a' }, {}, { args: [], extra: true }]) {
      const response = await post(url, lookupPath, body, validToken());
      expect(response.status).toBe(400);
    }
    expect(api.invocations.lookup).toBe(0);
  });

  it('rejects args that do not fit the method with a 400 problem naming them, before reaching the implementation', async () => {
    const { api, url } = await serve();
    const malformed = [
      { args: [] }, // the ids are missing
      { args: ['a'] }, // not an array of ids
      { args: [[1, 2]] }, // ids of the wrong type
      { args: [null] },
      { args: [['a'], 'extra'] }, // one argument too many
      { args: [Array.from({ length: 11 }, (_, index) => `id-${index}`)] }, // more ids than allowed
    ];
    for (const body of malformed) {
      const response = await post(url, lookupPath, body, validToken());
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { errors: Array<{ path: string }> };
      expect(problem).toMatchObject({ status: 400, instance: lookupPath });
      expect(problem.errors[0]?.path).toMatch(/^args/);
    }
    expect(api.invocations.lookup).toBe(0);
    expect((await post(url, lookupPath, { args: [['a', 'b']] }, validToken())).status).toBe(200);
  });

  it('serves only the methods the contract lists', async () => {
    const { url } = await serve();
    const response = await post(url, contractPath(CATALOG, 'dropEverything'), { args: [] }, validToken());
    expect(response.status).toBe(404);
  });

  it('keeps the internal routes out of the OpenAPI document', async () => {
    await serve(new FakeCatalog(), { docs: true });
    const paths = Object.keys((running!.server.swagger() as { paths?: object }).paths ?? {});
    expect(running!.server.hasRoute({ method: 'POST', url: lookupPath })).toBe(true);
    expect(paths.filter((path) => path.startsWith('/internal/'))).toEqual([]);
  });
});
