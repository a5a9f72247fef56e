// Events published from a test exactly as their publisher publishes them: the publisher is the
// module whose `publishes` lists the event (never named by the test), the event goes through that
// module's bus transaction (its schema check, its envelope and source, the event log written in the
// transaction, local subscriptions woken at commit), and only the newest version can be published, as
// in production. What a faulty or older publisher might send is test/support/unchecked-events.ts.
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
  if (!app.bus.subscriptionTypes.some(({ types }) => types.includes(event.type))) {
    throw new Error(`${event.type} would be published, but no subscription receives it: nothing would see it`);
  }
  return app.bus.transaction(source, (_tx, publish) => publish(event, data));
}

/**
 * Waits until each of the given subscriptions (those of the modules under test) that reads the
 * event has dealt with it: its checkpoint has passed the event, and it is not parked waiting for a
 * retry. Their handlers ran and committed. Throws at once when one of them dead-lettered it.
 */
export async function handledIn(app: App, queues: readonly string[], eventId: string): Promise<void> {
  await waitFor(
    async () => {
      const [{ type } = { type: null }] = await app.database.sql<Array<{ type: string }>>`select type from events.log where id = ${eventId}`;
      const readers = app.bus.subscriptionTypes.filter(({ name, types }) => queues.includes(name) && type !== null && types.includes(type)).map(({ name }) => name);
      if (readers.length === 0) return false;
      const deadLetterQueues = readers.map((name) => `${name}.dead-letter`);
      const [state] = await app.database.sql<Array<{ behind: number; parked: number; dead_lettered: string | null }>>`
        select (select count(*)::int from events.subscriptions checkpoint, events.log log
                 where checkpoint.name in ${app.database.sql(readers)} and log.id = ${eventId}
                   and (log.transaction_id, log.position) > (checkpoint.transaction_id, checkpoint.position)) as behind,
               (select count(*)::int from pgboss.job
                 where name in ${app.database.sql(readers)} and data->>'id' = ${eventId} and state <> 'completed') as parked,
               (select string_agg(name, ', ') from pgboss.job
                 where name in ${app.database.sql(deadLetterQueues)} and data->>'id' = ${eventId}) as dead_lettered`;
      // A dead letter will not be handled however long the test waits: say so now.
      if (state!.dead_lettered) throw new Error(`event ${eventId} was dead-lettered (${state!.dead_lettered}), not handled`);
      return state!.behind === 0 && state!.parked === 0;
    },
    { what: `event ${eventId} handled by ${queues.join(', ')}` },
  );
}
