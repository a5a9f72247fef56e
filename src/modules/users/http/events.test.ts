// The users module publishes users.user-registered, users.user-updated and
// users.user-status-changed, and a subscriber in another module receives each with exactly the
// contract's data. The subscriber is a fixture module hosted next to users, with its own schema
// and inbox (test/support/event-probe.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODULES } from '../../../module-registry.js';
import { eventProbe } from '../../../../test/support/event-probe.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { query } from '../../../../test/support/test-database.js';
import { newUserInput, registerAndLogin, startAppWithAdmin, type Injector } from '../../../../test/support/users.js';
import { waitFor } from '../../../../test/support/wait-for.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROBE_SCHEMA = 'users_events_probe';

describe('users events', () => {
  const probe = eventProbe('users', PROBE_SCHEMA);
  const received = probe.received;

  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    const databaseUrl = await probe.createDatabase();
    ({ app, client, admin } = await startAppWithAdmin({ databaseUrl, definitions: [...ALL_MODULES, probe.definition], hostedModules: ['users', 'probe'] }));
  });
  afterAll(() => app.close());

  const eventsOf = (type: string, userId: string) =>
    received.filter((event) => event.type === type && (event.data as { userId?: string }).userId === userId);
  const eventually = (type: string, userId: string, count = 1) =>
    waitFor(async () => eventsOf(type, userId).length >= count && eventsOf(type, userId), { what: `${count} × ${type} for ${userId}` });

  it('publishes users.user-registered with userId, email and username when a user registers', async () => {
    const user = await registerAndLogin(client);
    const [event] = await eventually('users.user-registered', user.id);
    expect(event).toEqual({
      id: expect.stringMatching(UUID),
      type: 'users.user-registered',
      version: 1,
      occurredAt: expect.any(String),
      source: 'users',
      data: { userId: user.id, email: user.email, username: user.username },
    });
    expect(new Date(event!.occurredAt).toISOString()).toBe(event!.occurredAt);
  });

  it('publishes users.user-updated with the new username and email when a profile changes', async () => {
    const user = await registerAndLogin(client);
    const next = newUserInput();
    expect((await client.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: user.auth, payload: { username: next.username, email: next.email, currentPassword: user.password } })).statusCode).toBe(200);
    const [event] = await eventually('users.user-updated', user.id);
    expect(event).toMatchObject({ type: 'users.user-updated', version: 1, source: 'users' });
    expect(event!.data).toEqual({ userId: user.id, username: next.username, email: next.email });
  });

  it('publishes users.user-status-changed with userId and status when an admin changes the status', async () => {
    const user = await registerAndLogin(client);
    expect((await client.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}/status`, headers: admin, payload: { status: 'suspended' } })).statusCode).toBe(200);
    const [event] = await eventually('users.user-status-changed', user.id);
    expect(event).toMatchObject({ type: 'users.user-status-changed', version: 1, source: 'users' });
    expect(event!.data).toEqual({ userId: user.id, status: 'suspended' });
  });

  it('delivers each event to the subscriber once and records it in the subscriber’s inbox', async () => {
    const user = await registerAndLogin(client);
    const [event] = await eventually('users.user-registered', user.id);
    const rows = await query(app.databaseUrl, `select subscription, event_type from ${PROBE_SCHEMA}.inbox where event_id = $1`, [event!.id]);
    expect(rows).toEqual([{ subscription: 'probe.users-events', event_type: 'users.user-registered' }]);
    expect(received.filter((seen) => seen.id === event!.id)).toHaveLength(1);
  });

  it('publishes nothing for a registration or a change refused with 409', async () => {
    const taken = await registerAndLogin(client);
    const user = await registerAndLogin(client);
    const refusedEmail = newUserInput().email;
    expect((await client.inject({ method: 'POST', url: '/api/v1/users', payload: newUserInput({ email: refusedEmail, username: taken.username }) })).statusCode).toBe(409);
    expect((await client.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: user.auth, payload: { username: taken.username } })).statusCode).toBe(409);
    // Events are delivered in the order they were stored: once a later marker arrives, an event
    // of the refused requests would have arrived before it.
    const marker = await registerAndLogin(client);
    await eventually('users.user-registered', marker.id);
    expect(received.filter((event) => (event.data as { email?: string }).email === refusedEmail)).toEqual([]);
    expect(eventsOf('users.user-updated', user.id)).toEqual([]);
  });
});
