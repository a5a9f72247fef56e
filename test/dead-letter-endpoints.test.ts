// The operator endpoints over the real app: an event whose handler keeps failing is listed, and a
// redrive after the fix handles it once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODULES } from '../src/module-registry.js';
import type { ModuleDefinition } from '../src/platform/modules/module-definition.js';
import { createFixtureSchema, FIXTURE_SCHEMA } from './support/test-bus.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { ADMIN_ENV, loginAdmin, registerAndLogin } from './support/users.js';
import { waitFor } from './support/wait-for.js';

let fixed = false;
const handled: string[] = [];
const fragileModule: ModuleDefinition = {
  name: 'fragile',
  schema: FIXTURE_SCHEMA,
  routePrefixes: [],
  publishes: [],
  needs: [],
  create: () => ({
    routes: async () => {},
    subscriptions: [
      {
        name: 'on-user-registered',
        pattern: 'users.user-registered',
        handler: async (event) => {
          if (!fixed) throw new Error('handler bug');
          handled.push(event.id);
        },
      },
    ],
  }),
};

describe('dead-letter endpoints', () => {
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    await createFixtureSchema(databaseUrl);
    app = await startTestApp({
      databaseUrl,
      definitions: [...ALL_MODULES, fragileModule],
      hostedModules: ['users', 'fragile'],
      env: { ...ADMIN_ENV, EVENTS_RETRY_LIMIT: '1' },
    });
    admin = (await loginAdmin(app.server)).auth;
  });
  afterAll(() => app.close());

  it('lists a dead-lettered event and handles it once after a redrive', async () => {
    const customer = await registerAndLogin(app.server);
    const list = () => app.server.inject({ url: '/admin/v1/dead-letters?subscription=fragile.on-user-registered', headers: admin });

    // The admin bootstrap registered a user too: wait for both events to be parked.
    const parked = await waitFor(async () => {
      const items = (await list()).json().items as Array<{ id: string; event: { data: { userId: string } } }>;
      return items.length === 2 && items;
    }, { timeoutMs: 30_000, what: 'two dead letters' });
    expect(parked.map((letter) => letter.event.data.userId)).toContain(customer.id);
    expect((await list()).json().items[0]).toMatchObject({ subscription: 'fragile.on-user-registered', attempts: 2, error: 'handler bug' });

    fixed = true;
    const redrive = await app.server.inject({
      method: 'POST',
      url: '/admin/v1/dead-letters/redrive',
      headers: admin,
      payload: { subscription: 'fragile.on-user-registered' },
    });
    expect(redrive.json()).toEqual({ redriven: 2 });
    await waitFor(async () => handled.length === 2, { what: 'both redriven events handled' });
    expect(new Set(handled).size).toBe(2);
    expect((await list()).json().items).toEqual([]);
  });

  it('refuses customers and unknown subscriptions', async () => {
    const customer = await registerAndLogin(app.server);
    expect((await app.server.inject({ url: '/admin/v1/dead-letters', headers: customer.auth })).statusCode).toBe(403);
    expect((await app.server.inject({ url: '/admin/v1/dead-letters' })).statusCode).toBe(401);
    const unknown = await app.server.inject({ url: '/admin/v1/dead-letters?subscription=nobody.nothing', headers: admin });
    expect(unknown.statusCode).toBe(404);
  });
});
