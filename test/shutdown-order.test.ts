// Closing the app is one call, and its order is the one that loses nothing: requests stop first,
// then the event bus lets a running handler finish (its batch's transaction still has its module's
// pool, and commits the handler's effect with the subscription's checkpoint), and only then do the
// module pools and the platform's own pool close.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { ModuleDefinition } from '../src/platform/modules/module-definition.js';
import { createFixtureSchema, FIXTURE_EVENTS, FIXTURE_SCHEMA } from './support/test-bus.js';
import { startTestApp } from './support/test-app.js';
import { dealtWith } from './support/deliveries.js';
import { createTestDatabase, query } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

let handlerStarted = false;
let releaseHandler: () => void = () => {};
const slowHandlerModule: ModuleDefinition = {
  name: 'fixture',
  schema: FIXTURE_SCHEMA,
  routePrefixes: [],
  publishes: [FIXTURE_EVENTS.thingHappened],
  needs: [],
  subscriptions: [
    {
      name: 'slow-handler',
      pattern: FIXTURE_EVENTS.thingHappened.type,
      handler: async (event, { tx }) => {
        handlerStarted = true;
        await new Promise<void>((resolve) => (releaseHandler = resolve));
        await tx.execute(sql`insert into fixture.effects (event_id, subscription, event_type) values (${event.id}, 'fixture.slow-handler', ${event.type})`);
      },
    },
  ],
  create: () => ({ routes: async () => {} }),
};

describe('closing the app', () => {
  it('lets a running handler finish on its module pool, then closes the bus, the module pools and the platform pool, in that order', async () => {
    const databaseUrl = await createTestDatabase();
    await createFixtureSchema(databaseUrl);
    const app = await startTestApp({ databaseUrl, definitions: [slowHandlerModule], hostedModules: ['fixture'], captureLogs: true });
    const eventId = await app.bus.transaction('fixture', (_tx, publish) => publish(FIXTURE_EVENTS.thingHappened, { answer: 42 }));
    await waitFor(async () => handlerStarted, { what: 'the handler to start' });

    const closing = app.close();
    expect(app.close()).toBe(closing); // one shutdown, however often it is asked for
    releaseHandler();
    await closing;

    const closed = app.logs.flatMap((line) => {
      const message = (JSON.parse(line) as { msg?: string }).msg ?? '';
      return message.startsWith('closed: ') ? [message.slice('closed: '.length)] : [];
    });
    // The notification session is the bus's own and carries no work: it may go first.
    expect(closed).toEqual(['event notifications', 'event bus', 'module databases', 'rate-limit sweeper', 'platform database']);
    // The handler's effect committed, and with it the checkpoint past the event: it is not run again.
    const handled = await query(databaseUrl, `select 1 from ${FIXTURE_SCHEMA}.effects where event_id = $1`, [eventId]);
    expect(handled).toHaveLength(1);
    expect(await dealtWith(databaseUrl, 'fixture.slow-handler', eventId)).toBe(true);
  });
});
