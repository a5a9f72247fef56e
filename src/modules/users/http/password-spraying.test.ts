// Failed sign-ins from one address over all accounts (default: 30 a minute), so one wrong guess at
// each of many accounts is limited as well as many guesses at one; counted in the database, so
// replicas of the users module add up to one limit rather than one each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { expectProblem, guardSecrets, newUserInput, registerAndLogin, startGuardedApp, type Injector, type TestUser } from '../../../../test/support/users.js';

const ADDRESS_LIMIT = 30;

const signIn = (client: Injector, email: string, password: string, remoteAddress: string) =>
  client.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { email, password } });

async function registerMany(client: Injector, count: number): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (let index = 0; index < count; index += 1) users.push(await registerAndLogin(client));
  return users;
}

describe('password spraying', () => {
  let app: TestApp;
  let client: Injector;
  let accounts: TestUser[];
  beforeAll(async () => {
    ({ app, client } = await startGuardedApp());
    accounts = await registerMany(client, ADDRESS_LIMIT + 1);
  });
  afterAll(() => app.close());

  it('answers 429 problem+json with retry-after to the 31st account guessed once from one address', async () => {
    for (const [index, account] of accounts.slice(0, ADDRESS_LIMIT).entries()) {
      expect((await signIn(client, account.email, 'spray-password', '198.51.100.1')).statusCode, `account ${index + 1}`).toBe(401);
    }
    const blocked = await signIn(client, accounts[ADDRESS_LIMIT]!.email, 'spray-password', '198.51.100.1');
    const body = expectProblem(blocked, 429);
    expect(body.detail).toMatch(/^Too many failed sign-ins from this address; retry in \d+ seconds$/);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('keeps signing in a fresh account from another address meanwhile', async () => {
    const fresh = await registerAndLogin(client);
    const response = await signIn(client, fresh.email, fresh.password, '198.51.100.2');
    expect(response.statusCode).toBe(200);
    expect(response.json().tokenType).toBe('Bearer');
  });

  it('limits a parallel spray as well as a sequence', async () => {
    const responses = await Promise.all(accounts.map((account) => signIn(client, account.email, 'spray-password', '198.51.100.3')));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(ADDRESS_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
  });

  it('counts unknown emails toward the address limit too', async () => {
    for (let attempt = 1; attempt <= ADDRESS_LIMIT; attempt += 1) {
      expect((await signIn(client, newUserInput().email, 'spray-password', '198.51.100.4')).statusCode, `attempt ${attempt}`).toBe(401);
    }
    expectProblem(await signIn(client, accounts[0]!.email, accounts[0]!.password, '198.51.100.4'), 429);
  });
});

describe('sign-in limits shared by replicas', () => {
  let first: TestApp;
  let second: TestApp;
  let replicas: [Injector, Injector];
  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({ databaseUrl: first.databaseUrl });
    replicas = [guardSecrets(first.server), guardSecrets(second.server)];
  });
  afterAll(() => Promise.all([first?.close(), second?.close()]));

  it('adds up failures for one account split across two instances to one limit of 10', async () => {
    const victim = await registerAndLogin(replicas[0]);
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expect((await signIn(replicas[attempt % 2]!, victim.email, 'wrong-password', '198.51.100.10')).statusCode, `attempt ${attempt}`).toBe(401);
    }
    expectProblem(await signIn(replicas[0], victim.email, 'wrong-password', '198.51.100.10'), 429);
    expectProblem(await signIn(replicas[1], victim.email, victim.password, '198.51.100.10'), 429);
  });

  it('adds up a spray split across two instances to one address limit of 30', async () => {
    const accounts = await registerMany(replicas[1], ADDRESS_LIMIT + 1);
    for (const [index, account] of accounts.slice(0, ADDRESS_LIMIT).entries()) {
      expect((await signIn(replicas[index % 2]!, account.email, 'spray-password', '198.51.100.11')).statusCode, `account ${index + 1}`).toBe(401);
    }
    for (const replica of replicas) expectProblem(await signIn(replica, accounts[ADDRESS_LIMIT]!.email, 'spray-password', '198.51.100.11'), 429);
  });
});

describe('sign-in limits turned off', () => {
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => ({ app, client } = await startGuardedApp({ env: { LOGIN_RATE_LIMIT_MAX: '0', LOGIN_ADDRESS_RATE_LIMIT_MAX: '0' } })));
  afterAll(() => app.close());

  it('answers 401, never 429, to any number of failures when both maxima are 0', async () => {
    const victim = await registerAndLogin(client);
    for (let attempt = 1; attempt <= ADDRESS_LIMIT + 5; attempt += 1) {
      const email = attempt % 2 === 0 ? victim.email : newUserInput().email;
      expect((await signIn(client, email, 'wrong-password', '198.51.100.20')).statusCode, `attempt ${attempt}`).toBe(401);
    }
    expect((await signIn(client, victim.email, victim.password, '198.51.100.20')).statusCode).toBe(200);
  });
});

describe('sign-in limits set by their variables', () => {
  let app: TestApp;
  let client: Injector;
  beforeAll(async () => ({ app, client } = await startGuardedApp({ env: { LOGIN_RATE_LIMIT_MAX: '0', LOGIN_ADDRESS_RATE_LIMIT_MAX: '3', LOGIN_RATE_LIMIT_WINDOW_MS: '1000' } })));
  afterAll(() => app.close());

  it('keeps the address limit when only the per-account one is off, and opens again after its window', async () => {
    const victim = await registerAndLogin(client);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await signIn(client, victim.email, 'wrong-password', '198.51.100.30')).statusCode, `attempt ${attempt}`).toBe(401);
    }
    const blocked = expectProblem(await signIn(client, victim.email, victim.password, '198.51.100.30'), 429);
    expect(blocked.detail).toMatch(/from this address/);
    await waitFor(async () => (await signIn(client, victim.email, victim.password, '198.51.100.30')).statusCode === 200, { timeoutMs: 5000, what: 'the window to end' });
  });
});
