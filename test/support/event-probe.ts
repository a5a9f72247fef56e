// A fixture module that records every event one module publishes, as a subscriber in another
// module would: for tests of what a module publishes. Its schema and inbox must exist before the
// app starts, and test databases are migrated from migrations/ only, so start the app on
// `await probe.createDatabase()`.
import type { EventEnvelope } from '../../src/platform/events/event-envelope.js';
import type { ModuleDefinition } from '../../src/platform/modules/module-definition.js';
import { createTestDatabase, query } from './test-database.js';

export type EventProbe = ReturnType<typeof eventProbe>;

/** A probe module named `probe`, in `schema`, subscribed as `<publisher>-events` to `<publisher>.*`. */
export function eventProbe(publisher: string, schema: string) {
  const received: EventEnvelope[] = [];
  const subscription = `${publisher}-events`;
  const definition: ModuleDefinition = {
    name: 'probe',
    schema,
    routePrefixes: [],
    publishes: [],
    needs: [],
    create: () => ({
      routes: async () => {},
      subscriptions: [{ name: subscription, pattern: `${publisher}.*`, handler: async (event) => void received.push(event) }],
    }),
  };
  return {
    definition,
    received,
    /** The probe's pg-boss queue. */
    queue: `probe.${subscription}`,
    /** A fresh test database holding the probe's schema and inbox; resolves to its URL. */
    async createDatabase(): Promise<string> {
      const databaseUrl = await createTestDatabase();
      await query(
        databaseUrl,
        `create schema ${schema};
         create table ${schema}.inbox (event_id uuid not null, subscription text not null, event_type text not null,
           handled_at timestamptz not null default now(), primary key (subscription, event_id))`,
      );
      return databaseUrl;
    },
  };
}
