// Events published from a test exactly as their publisher publishes them: the publisher is the
// module whose `publishes` lists the event (never named by the test), the event goes through that
// module's bus transaction (its schema check, its envelope and source, the outbox written in the
// transaction, local workers woken at commit), and only the newest version can be published, as
// in production. What a faulty or older publisher might send is test/support/unchecked-events.ts.
import { sql } from 'drizzle-orm';
import type { App } from '../../src/app.js';
import type { EventData, EventDefinition } from '../../src/platform/events/event-definition.js';
import type { ModuleDefinition } from '../../src/platform/modules/module-definition.js';
import { waitFor } from './wait-for.js';

/** Something that publishes upstream events into the app: a scenario, or a replica of it. */
export interface Upstream {
  /** Publishes `data` as the event's publisher would; resolves to the event id. */
  publish<Definition extends EventDefinition>(event: Definition, data: EventData<Definition>): Promise<string>;
}

/** The module that publishes the event, among those the app was built from. */
export function publisherOf(event: EventDefinition, definitions: readonly ModuleDefinition[]): ModuleDefinition {
  const publisher = definitions.find((definition) => definition.publishes.some((published) => published.type === event.type));
  if (!publisher) throw new Error(`no module publishes ${event.type}`);
  return publisher;
}

export async function publishAsPublisher<Definition extends EventDefinition>(
  app: App,
  definitions: readonly ModuleDefinition[],
  event: Definition,
  data: EventData<Definition>,
): Promise<string> {
  const source = publisherOf(event, definitions).name;
  const rows = await app.bus.transaction(source, async (tx, publish) => {
    await publish(event, data);
    // The bus keeps the envelope to itself; the outbox rows this transaction wrote (one per
    // subscription queue, all of the same envelope) name it.
    return tx.execute<{ id: string }>(sql`
      select distinct data->>'id' as id from pgboss.job
      where xmin::text::bigint = pg_current_xact_id()::text::bigint % 4294967296 and data->>'type' = ${event.type}`);
  });
  const id = [...rows][0]?.id;
  if (!id) throw new Error(`${event.type} was published, but no subscription receives it: nothing would see it`);
  return id;
}

/**
 * Waits until every job of the event in the given queues (the subscriptions of the modules under
 * test) has completed: their handlers ran and committed, inbox included.
 */
export async function handledIn(app: App, queues: readonly string[], eventId: string): Promise<void> {
  await waitFor(
    async () => {
      const states = await app.database.sql<Array<{ state: string }>>`
        select state from pgboss.job where name in ${app.database.sql(queues)} and data->>'id' = ${eventId}`;
      return states.length > 0 && states.every(({ state }) => state === 'completed');
    },
    { what: `event ${eventId} handled by ${queues.join(', ')}` },
  );
}
