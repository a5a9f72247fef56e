// A real event bus (real Postgres, real pg-boss) over fixture event types, for testing the bus
// itself without any business module.
import { PgBoss } from 'pg-boss';
import { Type } from 'typebox';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/platform/db/database.js';
import { EventBus, type DeclaredSubscription, type Subscription } from '../../src/platform/events/event-bus.js';
import type { EventsConfig } from '../../src/platform/events/events-config.js';
import { defineEvent, type EventDefinition } from '../../src/platform/events/event-definition.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import { query } from './test-database.js';

export const FIXTURE_SCHEMA = 'fixture';
const Answer = Type.Object({ answer: Type.Integer() });
const Cents = Type.Integer({ minimum: 1 });
// An event with two versions: v1 has loose fields, v2 a nested value; each converts to the other.
const priceSetV1 = defineEvent('fixture.price-set', Type.Object({ priceCents: Cents, currency: Type.String() }));
const priceSet = priceSetV1.evolve(Type.Object({ price: Type.Object({ cents: Cents, currency: Type.String() }) }), {
  up: ({ priceCents, currency }) => ({ price: { cents: priceCents, currency } }),
  down: ({ price }) => ({ priceCents: price.cents, currency: price.currency }),
});
export const FIXTURE_EVENTS = {
  thingHappened: defineEvent('fixture.thing-happened', Answer),
  otherHappened: defineEvent('fixture.other-happened', Answer),
  elsewhereHappened: defineEvent('elsewhere.thing-happened', Answer),
  priceSetV1,
  priceSet,
};
/** The newest version of every fixture event. */
export const FIXTURE_CATALOG = [FIXTURE_EVENTS.thingHappened, FIXTURE_EVENTS.otherHappened, FIXTURE_EVENTS.elsewhereHappened, priceSet];

export const TEST_EVENTS_ENV = {
  EVENTS_POLLING_INTERVAL_SECONDS: '0.5',
  EVENTS_RETRY_DELAY_SECONDS: '1',
  EVENTS_RETRY_DELAY_MAX_SECONDS: '2',
  EVENTS_SUPERVISE_INTERVAL_SECONDS: '1',
};

/** The fixture module's schema: its inbox, and a table where handlers record their effects. */
export async function createFixtureSchema(url: string): Promise<void> {
  await query(
    url,
    `create schema if not exists ${FIXTURE_SCHEMA};
     create table if not exists ${FIXTURE_SCHEMA}.inbox (
       event_id uuid not null, subscription text not null, event_type text not null,
       handled_at timestamptz not null default now(), primary key (subscription, event_id));
     create table if not exists ${FIXTURE_SCHEMA}.effects (event_id uuid not null, subscription text not null, event_type text not null);`,
  );
}

export interface TestBus {
  bus: EventBus;
  close(): Promise<void>;
}

export async function startTestBus(
  url: string,
  subscriptions: Array<Omit<Subscription, 'module' | 'schema'>>,
  events: Partial<EventsConfig> = {},
  declared: DeclaredSubscription[] = [],
  catalog: readonly EventDefinition[] = FIXTURE_CATALOG,
): Promise<TestBus> {
  const config = { ...loadConfig(TEST_EVENTS_ENV).events, ...events };
  const database = connectDatabase(url, { max: 4 });
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    max: 3,
    useListenNotify: true,
    superviseIntervalSeconds: config.superviseIntervalSeconds,
    monitorIntervalSeconds: config.superviseIntervalSeconds,
    openTelemetry: { enabled: false }, // as the app's: the bus opens its own spans
  });
  boss.on('error', () => {});
  await boss.start();
  const bus = new EventBus({ boss, databaseOf: () => database.db, db: database.db, logger: createLogger({ level: 'silent', pretty: false }), config, catalog });
  for (const subscription of subscriptions) bus.subscribe({ ...subscription, module: 'fixture', schema: FIXTURE_SCHEMA });
  for (const subscription of declared) bus.declare(subscription);
  await bus.start();
  return {
    bus,
    close: async () => {
      await bus.stop(2000);
      await database.close();
    },
  };
}

/**
 * The buses a test file starts, so each test can stop one early and the rest are closed after it:
 * `start` as startTestBus, `stop` closes one now, `closeAll` in afterEach.
 */
export function testBuses() {
  const running: TestBus[] = [];
  return {
    async start(...args: Parameters<typeof startTestBus>): Promise<TestBus> {
      const testBus = await startTestBus(...args);
      running.push(testBus);
      return testBus;
    },
    async stop(testBus: TestBus): Promise<void> {
      running.splice(running.indexOf(testBus), 1);
      await testBus.close();
    },
    closeAll: () => Promise.all(running.splice(0).map((testBus) => testBus.close())),
  };
}
