// The AsyncAPI 3 document of the events: valid for the AsyncAPI parser, and saying what the module
// definitions say (a message per version, a send per published event, a receive per subscription on
// its queue), on fixture modules. test/asyncapi-document.test.ts checks the app's own.
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { parseAsyncApi } from '../../../test/support/parse-asyncapi.js';
import { defineEvent } from '../events/event-definition.js';
import { on, type ModuleDefinition, type ModuleSubscription } from '../modules/module-definition.js';
import { asyncApiDocument, type AsyncApiDocument } from './asyncapi.js';

const accountOpenedV1 = defineEvent('accounts.account-opened', Type.Object({ accountId: Type.String({ format: 'uuid' }), name: Type.String() }));
const accountOpened = accountOpenedV1.evolve(
  Type.Object({ accountId: Type.String({ format: 'uuid' }), firstName: Type.String(), lastName: Type.Optional(Type.String()) }),
  { up: ({ accountId, name }) => ({ accountId, firstName: name }), down: ({ accountId, firstName }) => ({ accountId, name: firstName }) },
);
const accountClosed = defineEvent('accounts.account-closed', Type.Object({ accountId: Type.String({ format: 'uuid' }) }));
const invoiceSent = defineEvent('billing.invoice-sent', Type.Object({ invoiceId: Type.String(), lines: Type.Array(Type.Integer(), { maxItems: 10 }) }));

function fixtureModule(name: string, publishes: ModuleDefinition['publishes'], subscriptions: ModuleSubscription[] = []): ModuleDefinition {
  return { name, schema: name, routePrefixes: [], publishes, needs: [], subscriptions, create: () => ({ routes: async () => {} }) };
}

const accounts = fixtureModule('accounts', [accountOpened, accountClosed]);
const billing = fixtureModule('billing', [invoiceSent], [
  on(accountOpenedV1, 'open-ledger', async () => {}),
  { name: 'audit-accounts', pattern: 'accounts.*', handler: async () => {} },
]);
const INFO = { title: 'Fixture API', version: '2.3.4' };


// Every own key, enumerable or not, symbols included: what JSON.stringify would silently drop.
function ownKeys(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Reflect.ownKeys(value).flatMap((key) => [String(key), ...ownKeys((value as Record<PropertyKey, unknown>)[key])]);
}

describe('AsyncAPI document', () => {
  const document = asyncApiDocument([accounts, billing], INFO);

  it('is an AsyncAPI 3.0.0 document the parser accepts without errors', async () => {
    const { parsed, errors } = await parseAsyncApi(document);
    expect(errors).toEqual([]);
    expect(parsed?.version()).toBe('3.0.0');
    expect(document).toMatchObject({ asyncapi: '3.0.0', info: INFO, defaultContentType: 'application/json' });
  });

  it('has a channel per event type, with a message per version whose payload is the envelope of that version', async () => {
    const { parsed } = await parseAsyncApi(document);
    const channels = parsed!.channels().all().map((channel) => [channel.address(), channel.messages().all().map((message) => message.id())]);
    expect(channels).toEqual([
      ['accounts.account-opened', ['accounts.account-opened.v1', 'accounts.account-opened.v2']],
      ['accounts.account-closed', ['accounts.account-closed.v1']],
      ['billing.invoice-sent', ['billing.invoice-sent.v1']],
    ]);
    for (const version of [accountOpenedV1, accountOpened]) {
      const payload = document.components.schemas[`accounts.account-opened.v${version.version}`]!;
      expect(payload).toMatchObject({
        required: expect.arrayContaining(['id', 'type', 'version', 'occurredAt', 'source', 'data']),
        properties: {
          id: { type: 'string', format: 'uuid' },
          type: { const: 'accounts.account-opened' },
          version: { type: 'integer', const: version.version },
          occurredAt: { type: 'string', format: 'date-time' },
          source: { const: 'accounts' },
          traceparent: { type: 'string' },
          data: JSON.parse(JSON.stringify(version.schema)),
        },
      });
    }
  });

  it('carries plain JSON Schema: none of TypeBox’s hidden or symbol keys', () => {
    expect(Object.getOwnPropertyNames(accountOpened.schema.properties.lastName)).toContain('~optional');
    expect(ownKeys(document).filter((key) => key.startsWith('~') || key.startsWith('Symbol('))).toEqual([]);
  });

  it('has a send operation per published event, of its newest version, by its publisher', async () => {
    const { parsed } = await parseAsyncApi(document);
    const sends = parsed!.operations().filterBySend().map((operation) => ({
      id: operation.id(),
      channel: operation.channels().all().map((channel) => channel.address()),
      messages: operation.messages().all().map((message) => message.id()),
      module: operation.extensions().get('x-module')?.value(),
    }));
    expect(sends).toEqual([
      { id: 'accounts.publish.accounts.account-opened', channel: ['accounts.account-opened'], messages: ['accounts.account-opened.v2'], module: 'accounts' },
      { id: 'accounts.publish.accounts.account-closed', channel: ['accounts.account-closed'], messages: ['accounts.account-closed.v1'], module: 'accounts' },
      { id: 'billing.publish.billing.invoice-sent', channel: ['billing.invoice-sent'], messages: ['billing.invoice-sent.v1'], module: 'billing' },
    ]);
  });

  it('has a receive operation per subscription and matched type, naming its queue and the versions it reads', async () => {
    const { parsed } = await parseAsyncApi(document);
    const receives = parsed!.operations().filterByReceive().map((operation) => ({
      id: operation.id(),
      channel: operation.channels().all().map((channel) => channel.address()),
      messages: operation.messages().all().map((message) => message.id()),
      module: operation.extensions().get('x-module')?.value(),
      queue: operation.extensions().get('x-queue')?.value(),
    }));
    expect(receives).toEqual([
      // Typed: the one version it reads, though its publisher has moved on to v2.
      {
        id: 'billing.open-ledger.receive.accounts.account-opened',
        channel: ['accounts.account-opened'],
        messages: ['accounts.account-opened.v1'],
        module: 'billing',
        queue: 'billing.open-ledger',
      },
      // A wildcard: every type `accounts.*` matches (not billing's), each in every version.
      {
        id: 'billing.audit-accounts.receive.accounts.account-opened',
        channel: ['accounts.account-opened'],
        messages: ['accounts.account-opened.v1', 'accounts.account-opened.v2'],
        module: 'billing',
        queue: 'billing.audit-accounts',
      },
      {
        id: 'billing.audit-accounts.receive.accounts.account-closed',
        channel: ['accounts.account-closed'],
        messages: ['accounts.account-closed.v1'],
        module: 'billing',
        queue: 'billing.audit-accounts',
      },
    ]);
  });

  it('expands wildcards as the bus does, over the types of every module', () => {
    const watcher = fixtureModule('watcher', [], [
      { name: 'everything', pattern: '**', handler: async () => {} },
      { name: 'one-level', pattern: '*', handler: async () => {} },
    ]);
    const operations = Object.keys(asyncApiDocument([accounts, billing, watcher], INFO).operations).filter((id) => id.startsWith('watcher.'));
    expect(operations).toEqual([
      'watcher.everything.receive.accounts.account-opened',
      'watcher.everything.receive.accounts.account-closed',
      'watcher.everything.receive.billing.invoice-sent',
    ]);
  });

  it('refuses a subscription that reads a version its publisher does not define', () => {
    const unknownVersion = accountOpened.evolve(Type.Object({ accountId: Type.String() }), { up: ({ accountId }) => ({ accountId }), down: ({ accountId }) => ({ accountId, firstName: '' }) });
    const ahead = fixtureModule('ahead', [], [on(unknownVersion, 'too-new', async () => {})]);
    expect(() => asyncApiDocument([accounts, ahead], INFO)).toThrow('subscription ahead.too-new reads accounts.account-opened v3, which its publisher does not define');
  });
});
