// The AsyncAPI 3 document of the events (/docs/asyncapi.json), built from the definitions of every
// module, hosted here or not, so every process serves the same one whatever its topology, as every
// process keeps every subscription's checkpoint. An event type is a channel with a message per
// version; its publisher sends the newest version; each subscription receives the versions it reads,
// from the event log, starting where its `from` says the first time it is deployed.
import { subscriptionQueue } from '../events/event-bus.js';
import { versionsOf, type EventDefinition } from '../events/event-definition.js';
import { matchingEventTypes } from '../events/match-event-types.js';
import type { ModuleDefinition, ModuleSubscription } from '../modules/module-definition.js';

export interface DocumentInfo {
  title: string;
  version: string;
  description?: string;
}

type Ref = { $ref: string };
type JsonSchema = Record<string, unknown>;

export interface AsyncApiOperation {
  action: 'send' | 'receive';
  channel: Ref;
  messages: Ref[];
  summary: string;
  description?: string;
  /** The module that publishes or subscribes. */
  'x-module': string;
  /** The subscription: its checkpoint's name, and the queue its parked events wait in: `<module>.<subscription>`. */
  'x-queue'?: string;
  /** Where the subscription started reading the event log when first deployed. */
  'x-start'?: 'now' | 'beginning';
}

export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: DocumentInfo;
  defaultContentType: 'application/json';
  channels: Record<string, { address: string; description: string; messages: Record<string, Ref> }>;
  operations: Record<string, AsyncApiOperation>;
  components: {
    messages: Record<string, { name: string; title: string; payload: Ref }>;
    schemas: Record<string, JsonSchema>;
  };
}

interface Published {
  newest: EventDefinition;
  publisher: string;
}

export function asyncApiDocument(modules: readonly ModuleDefinition[], info: DocumentInfo): AsyncApiDocument {
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info,
    defaultContentType: 'application/json',
    channels: {},
    operations: {},
    components: { messages: {}, schemas: {} },
  };
  const catalog = new Map<string, Published>(
    modules.flatMap((module) => module.publishes.map((newest): [string, Published] => [newest.type, { newest, publisher: module.name }])),
  );
  for (const published of catalog.values()) addEvent(document, published);
  for (const module of modules) {
    for (const subscription of module.subscriptions ?? []) {
      for (const type of matchingEventTypes(subscription.pattern, [...catalog.keys()])) {
        addReceive(document, module.name, subscription, catalog.get(type)!.newest);
      }
    }
  }
  return document;
}

function addEvent(document: AsyncApiDocument, { newest, publisher }: Published): void {
  const messages: Record<string, Ref> = {};
  for (const version of versionsOf(newest)) {
    const id = messageId(version);
    document.components.schemas[id] = envelopeSchema(version, publisher);
    document.components.messages[id] = { name: id, title: `${version.type} v${version.version}`, payload: { $ref: `#/components/schemas/${id}` } };
    messages[id] = { $ref: `#/components/messages/${id}` };
  }
  document.channels[channelId(newest.type)] = { address: newest.type, description: `Published by the ${publisher} module.`, messages };
  document.operations[`${publisher}.publish.${newest.type}`] = {
    action: 'send',
    channel: channelRef(newest.type),
    messages: [messageRef(newest)],
    summary: `${publisher} publishes ${newest.type} v${newest.version}`,
    'x-module': publisher,
  };
}

// A typed subscription receives the one version it reads (the bus converts to it); any other gets
// each event as published, so any version, stored events of older versions included.
function addReceive(document: AsyncApiDocument, module: string, subscription: ModuleSubscription, newest: EventDefinition): void {
  const queue = subscriptionQueue({ module, name: subscription.name });
  const { reads } = subscription;
  const versions = versionsOf(newest).filter((version) => !reads || (reads.type === version.type && reads.version === version.version));
  // Checked here too, for modules this process does not host: the bus checks only hosted ones.
  if (versions.length === 0) throw new Error(`subscription ${queue} reads ${reads!.type} v${reads!.version}, which its publisher does not define`);
  document.operations[`${queue}.receive.${newest.type}`] = {
    action: 'receive',
    channel: channelRef(newest.type),
    messages: versions.map(messageRef),
    summary: `${module} reads ${newest.type} ${versions.map((version) => `v${version.version}`).join(', ')} as subscription ${queue}`,
    description:
      `Read from the event log after the subscription's checkpoint, in log order, at least once and applied once. ` +
      (subscription.from === 'beginning'
        ? 'First deployed from the beginning: it receives every event the log still holds (EVENTS_RETENTION_DAYS).'
        : 'First deployed from now: it receives the events committed after it was deployed.') +
      ' An operator can rewind it to a log position or a time (POST /admin/v1/subscriptions/{subscription}/rewind); a failing event is parked for retries and then dead-lettered.',
    'x-module': module,
    'x-queue': queue,
    'x-start': subscription.from ?? 'now',
  };
}

// The envelope every event travels in (event-envelope.ts), pinned to one version of one type.
function envelopeSchema(event: EventDefinition, publisher: string): JsonSchema {
  return {
    type: 'object',
    required: ['id', 'type', 'version', 'occurredAt', 'source', 'data'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'Kept on redelivery: a subscription handles each id once.' },
      type: { type: 'string', const: event.type },
      version: { type: 'integer', const: event.version },
      occurredAt: { type: 'string', format: 'date-time' },
      source: { type: 'string', const: publisher, description: 'The publishing module.' },
      traceparent: { type: 'string', description: 'W3C trace context of the work that published the event.' },
      // TypeBox keeps its bookkeeping (`~kind`, …) in non-enumerable keys: a JSON round trip
      // leaves plain JSON Schema, detached from the definition's own object.
      data: JSON.parse(JSON.stringify(event.schema)) as JsonSchema,
    },
  };
}

// AsyncAPI ids are kept to letters, digits, `_` and `-` for channels; event types have dots.
function channelId(type: string): string {
  return type.replaceAll('.', '_');
}

function messageId(event: EventDefinition): string {
  return `${event.type}.v${event.version}`;
}

function channelRef(type: string): Ref {
  return { $ref: `#/channels/${channelId(type)}` };
}

// Operations must name messages of their channel, not the components' ones.
function messageRef(event: EventDefinition): Ref {
  return { $ref: `#/channels/${channelId(event.type)}/messages/${messageId(event)}` };
}
