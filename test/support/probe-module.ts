// The other module next to the ones under test, as any module of the app would be: it subscribes
// to everything they publish (a real subscriber with its own schema and inbox, fed by pg-boss) and
// lists the contracts they offer in `needs`, so it is handed them by the composition root. Tests
// read what it received and call what it was handed. Its schema and inbox must exist before the
// app starts (test databases are migrated from migrations/ only): `createSchema` makes them.
import type { ContractDefinition } from '../../src/platform/remote/contract-definition.js';
import type { EventEnvelope } from '../../src/platform/events/event-envelope.js';
import type { ModuleContext, ModuleDefinition } from '../../src/platform/modules/module-definition.js';
import { query } from './test-database.js';

export type ProbeModule = ReturnType<typeof probeModule>;

const NAME = 'probe';
const SCHEMA = 'probe';

/** A module named `probe`, subscribed as `<publisher>-events` to `<publisher>.*` of each module given. */
export function probeModule(observed: readonly ModuleDefinition[]) {
  const received: EventEnvelope[] = [];
  let contractOf: ModuleContext['contract'] | undefined;
  const publishers = observed.filter((definition) => definition.publishes.length > 0);
  const definition: ModuleDefinition = {
    name: NAME,
    schema: SCHEMA,
    routePrefixes: [],
    publishes: [],
    needs: observed.filter((definition) => definition.contract).map((definition) => definition.name),
    // On the definition, so that a replica that does not host the probe still keeps its queues.
    subscriptions: publishers.map(({ name }) => ({ name: `${name}-events`, pattern: `${name}.*`, handler: async (event) => void received.push(event) })),
    create: (context) => {
      contractOf = context.contract;
      return { routes: async () => {} };
    },
  };
  return {
    definition,
    schema: SCHEMA,
    /** Every event delivered to the probe so far, in the order it was handled. */
    received: received as readonly EventEnvelope[],
    /** The probe's pg-boss queue for one publisher's events; throws for a module it does not observe. */
    queueOf(publisher: string): string {
      if (!publishers.some(({ name }) => name === publisher)) throw new Error(`the probe observes only the hosted modules; ${publisher} is not one of them`);
      return `${NAME}.${publisher}-events`;
    },
    /** The contract as the composition root hands it to a module that needs it. */
    contract<Api>(contract: ContractDefinition<Api>): Api {
      if (!contractOf) throw new Error('the probe module is not hosted yet');
      return contractOf(contract);
    },
    /** The probe's schema and inbox; safe to run on a database that has them. */
    async createSchema(databaseUrl: string): Promise<void> {
      await query(
        databaseUrl,
        `create schema if not exists ${SCHEMA};
         create table if not exists ${SCHEMA}.inbox (event_id uuid not null, subscription text not null, event_type text not null,
           handled_at timestamptz not null default now(), primary key (subscription, event_id))`,
      );
    },
  };
}
