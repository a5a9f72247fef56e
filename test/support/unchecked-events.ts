// What a faulty or older publisher might put on the bus: an envelope written straight to the event
// log, past the publisher-side schema check, so tests can see what subscribers do with it.
import type { App } from '../../src/app.js';
import { listDeadLetters, type DeadLetter } from '../../src/platform/events/dead-letters.js';
import type { EventDefinition } from '../../src/platform/events/event-definition.js';
import { createEnvelope } from '../../src/platform/events/event-envelope.js';
import { waitFor } from './wait-for.js';

/** Publishes `data` as version `version` (default: the definition's) of the event; resolves to the event id. */
export async function publishUnchecked(app: App, event: EventDefinition, data: unknown, version = event.version): Promise<string> {
  const envelope = createEnvelope(event.type.split('.')[0]!, event.type, data, { version });
  await app.database.sql`
    insert into events.log (id, type, envelope, occurred_at)
    values (${envelope.id}, ${envelope.type}, ${JSON.stringify(envelope)}::jsonb, ${envelope.occurredAt})`;
  return envelope.id;
}

/** Waits until the event is in the subscription's dead-letter queue; resolves to the dead letter. */
export async function deadLettered(app: App, subscription: string, eventId: string): Promise<DeadLetter> {
  return waitFor(async () => (await listDeadLetters(app.bus, subscription)).find((letter) => letter.event.id === eventId), {
    what: `event ${eventId} dead-lettered by ${subscription}`,
  });
}
