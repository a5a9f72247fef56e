// The users module publishes users.user-registered, users.user-updated and
// users.user-status-changed, and a subscriber in another module receives each with exactly the
// contract's data. The subscriber is the harness's probe module, hosted next to users with its own
// schema and inbox (test/support/probe-module.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import type { TestApp } from '../../../../test/support/test-app.js';
import { dealtWith, parkedJobs } from '../../../../test/support/deliveries.js';
import { newUserInput, registerAndLogin, type Injector } from '../../../../test/support/users.js';
import { UUID_PATTERN as UUID } from '../../../platform/http/uuid.js';

describe('users events', () => {
  let scenario: Scenario;
  let app: TestApp;
  let client: Injector;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('users');
    ({ app, client, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const received = () => scenario.probe.received;

  const eventsOf = (type: string, userId: string) =>
    received().filter((event) => event.type === type && (event.data as { userId?: string }).userId === userId);
  const eventually = (type: string, userId: string, count = 1) =>
    scenario.eventually(async () => eventsOf(type, userId).length >= count && eventsOf(type, userId), { what: `${count} × ${type} for ${userId}` });

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

  it('delivers each event to the subscriber once, applied in its batch as its checkpoint passes it', async () => {
    const user = await registerAndLogin(client);
    const [event] = await eventually('users.user-registered', user.id);
    const subscription = scenario.probe.queueOf('users');
    expect(subscription).toBe('probe.users-events');
    await scenario.eventually(() => dealtWith(app.databaseUrl, subscription, event!.id), { what: `users.user-registered dealt with by ${subscription}` });
    // Never parked, so never delivered a second time by a retry.
    expect(await parkedJobs(app.databaseUrl, subscription, event!.id)).toEqual([]);
    expect(received().filter((seen) => seen.id === event!.id)).toHaveLength(1);
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
    expect(received().filter((event) => (event.data as { email?: string }).email === refusedEmail)).toEqual([]);
    expect(eventsOf('users.user-updated', user.id)).toEqual([]);
  });
});
