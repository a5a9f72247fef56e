// What the modules under test published, as the probe module (a subscriber in another module) sees
// it: typed by the event's definition, and in that definition's version (converted as the bus
// converts for a subscriber reading it). Two views: what was delivered to the probe, to wait on,
// and what is in the event log, delivered or not, to count (a duplicate not yet delivered is
// still a duplicate).
import type { App } from '../../src/app.js';
import { readAs, type EventData, type EventDefinition } from '../../src/platform/events/event-definition.js';
import type { EventEnvelope } from '../../src/platform/events/event-envelope.js';
import type { ProbeModule } from './probe-module.js';
import { waitFor } from './wait-for.js';

export type Seen<Definition extends EventDefinition> = EventEnvelope<EventData<Definition>, Definition['type']>;
export type Where<Definition extends EventDefinition> = (data: EventData<Definition>) => boolean;

// The bus lets a module publish only types named `<module>.…`.
const publisherOf = (event: EventDefinition) => event.type.split('.')[0]!;

export function publishedEvents(app: App, probe: ProbeModule, catalog: readonly EventDefinition[]) {
  const asRead = <Definition extends EventDefinition>(event: Definition, envelope: EventEnvelope): Seen<Definition> => {
    if (envelope.version === event.version) return envelope as Seen<Definition>;
    const newest = catalog.find((definition) => definition.type === event.type)!;
    return { ...envelope, version: event.version, data: readAs(newest, envelope.version, event.version, envelope.data) } as Seen<Definition>;
  };
  const matching = <Definition extends EventDefinition>(event: Definition, envelopes: readonly EventEnvelope[], where: Where<Definition>) =>
    envelopes.filter((envelope) => envelope.type === event.type).map((envelope) => asRead(event, envelope)).filter((seen) => where(seen.data));

  return {
    /** Waits until a matching event has been delivered to the probe; resolves to the first one. */
    published<Definition extends EventDefinition>(event: Definition, where: Where<Definition> = () => true): Promise<Seen<Definition>> {
      probe.queueOf(publisherOf(event));
      return waitFor(async () => matching(event, probe.received, where)[0], { what: `${event.type} delivered to a subscriber` });
    },
    /** Every matching event published so far, delivered to the probe or not, oldest first. */
    async publishedSoFar<Definition extends EventDefinition>(event: Definition, where: Where<Definition> = () => true): Promise<Array<Seen<Definition>>> {
      probe.queueOf(publisherOf(event));
      const rows = await app.database.sql<Array<{ envelope: EventEnvelope }>>`
        select envelope from events.log where type = ${event.type} order by transaction_id, position`;
      return matching(
        event,
        rows.map((row) => row.envelope),
        where,
      );
    },
  };
}
