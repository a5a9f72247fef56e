// The files of a new module, in the house layout: a working example to change, not a stub. The
// module keeps "items" of its customers: one route creates one (publishing <name>.item-created in
// the same transaction), one reads it back (only its owner or an admin), and one subscription
// acknowledges each created item after the commit, exactly once however often it is delivered.
import type { ModuleNames } from './module-name.js';

/** Path under src/modules/<name>/ → contents. */
export function moduleFiles(n: ModuleNames): Record<string, string> {
  return {
    'api.ts': api(n),
    'index.ts': index(n),
    'module.ts': moduleDefinition(n),
    [`${n.name}.service.ts`]: service(n),
    'db/schema.ts': schema(n),
    'db/items.repository.ts': repository(n),
    'handlers/acknowledge-item.handler.ts': handler(n),
    'http/schemas.ts': httpSchemas(n),
    [`http/${n.name}.routes.ts`]: routes(n),
    'http/items.test.ts': test(n),
  };
}

const api = (n: ModuleNames) => `// The ${n.name} module's published language: the events it publishes, with the schemas of their
// data. Other modules import this file only; it imports nothing of the module's internals.
import { Type } from 'typebox';
import { defineEvent, type EventData } from '../../platform/events/event-definition.js';

export const ${n.pascal}Events = {
  itemCreated: defineEvent(
    '${n.name}.item-created',
    Type.Object({ itemId: Type.String({ format: 'uuid' }), ownerId: Type.String({ format: 'uuid' }), label: Type.String({ minLength: 1, maxLength: 200 }) }),
  ),
} as const;

export type ItemCreated = EventData<typeof ${n.pascal}Events.itemCreated>;
`;

const index = (n: ModuleNames) => `// ${n.name}: owns the \`${n.schema}\` schema. Its published language (events) is in api.ts, which
// is what other modules import; this file is the module's definition, for the composition root
// and the test harness.
export { ${n.camel}Module } from './module.js';
`;

const moduleDefinition = (n: ModuleNames) => `// The ${n.name} module as the platform hosts it.
import type { ModuleDefinition } from '../../platform/modules/module-definition.js';
import { ${n.pascal}Events } from './api.js';
import { acknowledgeItem } from './handlers/acknowledge-item.handler.js';
import { ${n.camel}Routes } from './http/${n.name}.routes.js';
import { create${n.pascal}Service } from './${n.name}.service.js';

export const ${n.camel}Module: ModuleDefinition = {
  name: '${n.name}',
  schema: '${n.schema}',
  routePrefixes: ['/api/v1/${n.name}'],
  publishes: Object.values(${n.pascal}Events),
  // Modules whose contracts this one calls (list their names, then ask context.contract(XContract)).
  needs: [],
  subscriptions: [acknowledgeItem],
  create(context) {
    return { routes: ${n.camel}Routes(create${n.pascal}Service(context)) };
  },
};
`;

const service = (n: ModuleNames) => `// The ${n.name} module's use cases. HTTP-free: routes translate requests into these calls.
import type { AuthenticatedUser } from '../../platform/http/auth.js';
import { problem } from '../../platform/http/problem.js';
import type { ModuleContext } from '../../platform/modules/module-definition.js';
import { ${n.pascal}Events } from './api.js';
import { findItem, insertItem, type ItemRow } from './db/items.repository.js';

export type ${n.pascal}Service = ReturnType<typeof create${n.pascal}Service>;

export function create${n.pascal}Service(context: ModuleContext) {
  return {
    /** Stores the item and publishes ${n.name}.item-created in the same transaction: both or neither. */
    async create(caller: AuthenticatedUser, label: string): Promise<ItemRow> {
      return context.transaction(async (tx, publish) => {
        const item = await insertItem(tx, { ownerId: caller.sub, label });
        await publish(${n.pascal}Events.itemCreated, { itemId: item.id, ownerId: item.ownerId, label: item.label });
        return item;
      });
    },

    /** The item, for its owner or an admin; anyone else learns nothing, not even that it exists. */
    async get(caller: AuthenticatedUser, id: string): Promise<ItemRow> {
      const item = await findItem(context.db, id);
      if (!item || (item.ownerId !== caller.sub && caller.role !== 'admin')) throw problem.notFound('No such item');
      return item;
    },
  };
}
`;

const schema = (n: ModuleNames) => `// Tables of the ${n.name} module, all in the \`${n.schema}\` Postgres schema. Ids of other modules'
// records (the owner is a user) are plain uuids: no foreign key leaves this schema.
import { index, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../platform/events/inbox.js';

export const ${n.camel}Schema = pgSchema('${n.schema}');

export const items = ${n.camel}Schema.table(
  'items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').notNull(),
    label: text('label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    // Set by the acknowledge-item subscription once the creation has been committed and delivered.
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [index('items_owner_idx').on(table.ownerId)],
);

/** Parked events this module's subscriptions have applied on a retry: each is applied once. */
export const inbox = inboxTable(${n.camel}Schema);
`;

const repository = (n: ModuleNames) => `// Queries of the ${n.name} module's items. Every function takes the connection or transaction to run on.
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../../platform/db/database.js';
import { items } from './schema.js';

type Runner = Db | Tx;
export type ItemRow = typeof items.$inferSelect;

export async function insertItem(runner: Runner, item: { ownerId: string; label: string }): Promise<ItemRow> {
  const [row] = await runner.insert(items).values(item).returning();
  return row!;
}

export async function findItem(runner: Runner, id: string): Promise<ItemRow | null> {
  const [row] = await runner.select().from(items).where(eq(items.id, id));
  return row ?? null;
}

export async function acknowledge(runner: Runner, id: string, at: Date): Promise<void> {
  await runner.update(items).set({ acknowledgedAt: at }).where(eq(items.id, id));
}
`;

const handler = (n: ModuleNames) => `// Work done after an item's creation is committed: here, acknowledging it. A subscription reads
// the event log from its checkpoint, which moves in the handler's transaction, so the effect
// happens once. Another module subscribes the same way, naming this module's definition:
// on(${n.pascal}Events.itemCreated, '<what it does>', handler); deployed later, it may read the
// events published before it with { ...on(…), from: 'beginning' }.
import { on } from '../../../platform/modules/module-definition.js';
import { ${n.pascal}Events } from '../api.js';
import { acknowledge } from '../db/items.repository.js';

export const acknowledgeItem = on(${n.pascal}Events.itemCreated, 'acknowledge-item', async ({ data, occurredAt }, { tx }) => {
  await acknowledge(tx, data.itemId, new Date(occurredAt));
});
`;

const httpSchemas = (n: ModuleNames) => `// Request and response schemas of the ${n.name} module's routes (they validate, serialise and feed
// the OpenAPI document).
import { Type } from 'typebox';

// Unknown fields are refused, not ignored: a misspelt field must not pass silently.
export const CreateItemBody = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 200, transform: ['trim'], description: 'what the item is called' }) },
  // The title names the schema in the OpenAPI document: unique across modules, hence the prefix.
  { additionalProperties: false, title: 'Create${n.pascal}ItemRequest' },
);

export const ItemIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const Item = Type.Object({
  id: Type.String({ format: 'uuid' }),
  label: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  /** True once the acknowledge-item subscription has handled the item's creation. */
  acknowledged: Type.Boolean(),
}, { title: '${n.pascal}Item' });
`;

const routes = (n: ModuleNames) => `// Public routes of the ${n.name} module: a signed-in user's items.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ItemRow } from '../db/items.repository.js';
import type { ${n.pascal}Service } from '../${n.name}.service.js';
import { CreateItemBody, Item, ItemIdParams } from './schemas.js';

const bearer = [{ bearerAuth: [] }];
const tags = ['${n.name}'];

const toItemView = (item: ItemRow) => ({
  id: item.id,
  label: item.label,
  createdAt: item.createdAt.toISOString(),
  acknowledged: item.acknowledgedAt !== null,
});

export function ${n.camel}Routes(service: ${n.pascal}Service) {
  return async function routes(instance: FastifyInstance): Promise<void> {
    const server = instance.withTypeProvider<TypeBoxTypeProvider>();

    server.post(
      '/api/v1/${n.name}/items',
      { onRequest: [server.authenticate], schema: { operationId: 'create${n.pascal}Item', tags, summary: 'Create an item', security: bearer, body: CreateItemBody, response: { 201: Item } } },
      async (request, reply) => reply.code(201).send(toItemView(await service.create(request.user, request.body.label))),
    );

    server.get(
      '/api/v1/${n.name}/items/:id',
      { onRequest: [server.authenticate], schema: { operationId: 'get${n.pascal}Item', tags, summary: 'One of your items', security: bearer, params: ItemIdParams, response: { 200: Item } } },
      async (request) => toItemView(await service.get(request.user, request.params.id)),
    );
  };
}
`;

const test = (n: ModuleNames) => `// The ${n.name} module on the real platform (Postgres, pg-boss, Fastify), with users hosted to sign in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { query } from '../../../../test/support/test-database.js';
import { registerAndLogin, type TestUser } from '../../../../test/support/users.js';
import { ${n.pascal}Events } from '../api.js';

describe('${n.name} items', () => {
  let scenario: Scenario;
  let owner: TestUser;
  beforeAll(async () => {
    scenario = await startModuleTest('${n.name}', { alongside: ['users'] });
    owner = await registerAndLogin(scenario.client);
  });
  afterAll(() => scenario.close());

  const create = (auth: { authorization: string } | undefined, payload: unknown) =>
    scenario.client.inject({ method: 'POST', url: '/api/v1/${n.name}/items', ...(auth ? { headers: auth } : {}), payload: payload as object });
  const itemCount = async () => Number((await query<{ count: string }>(scenario.app.databaseUrl, 'select count(*) from ${n.schema}.items'))[0]!.count);

  it('creates an item, publishes ${n.name}.item-created and acknowledges it once the event is handled', async () => {
    const created = await create(owner.auth, { label: '  First item ' });
    expect(created.statusCode, created.body).toBe(201);
    const item = created.json();
    expect(item).toMatchObject({ label: 'First item', acknowledged: false });

    const event = await scenario.published(${n.pascal}Events.itemCreated, (data) => data.itemId === item.id);
    expect(event.data).toEqual({ itemId: item.id, ownerId: owner.id, label: 'First item' });
    await scenario.eventually(
      async () => (await scenario.client.inject({ url: \`/api/v1/${n.name}/items/\${item.id}\`, headers: owner.auth })).json().acknowledged,
      { what: 'the item acknowledged' },
    );
  });

  it('refuses bad input with a problem+json 400 and stores nothing', async () => {
    const before = await itemCount();
    for (const payload of [{}, { label: '' }, { label: 'x'.repeat(201) }, { label: 'ok', extra: true }]) {
      const response = await create(owner.auth, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\\/problem\\+json/);
    }
    expect(await itemCount()).toBe(before);
  });

  it('needs a signed-in user, and shows an item to its owner only', async () => {
    expect((await create(undefined, { label: 'anonymous' })).statusCode).toBe(401);
    const item = (await create(owner.auth, { label: 'private' })).json();
    const stranger = await registerAndLogin(scenario.client);
    const read = await scenario.client.inject({ url: \`/api/v1/${n.name}/items/\${item.id}\`, headers: stranger.auth });
    expect(read.statusCode).toBe(404);
  });

  it('is described in the OpenAPI and AsyncAPI documents', async () => {
    const openapi = (await scenario.client.inject({ url: '/docs/json' })).json();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/v1/${n.name}/items', '/api/v1/${n.name}/items/{id}']));
    const asyncapi = (await scenario.client.inject({ url: '/docs/asyncapi.json' })).json();
    expect(asyncapi.channels['${n.name}_item-created']).toMatchObject({ address: '${n.name}.item-created' });
    expect(asyncapi.operations['${n.name}.acknowledge-item.receive.${n.name}.item-created']).toMatchObject({ action: 'receive', 'x-module': '${n.name}' });
  });
});
`;
