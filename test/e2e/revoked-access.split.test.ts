// Revocation in the split topology: a suspended user loses access within seconds on every process
// (the gateway hosting users and products, the orders process, the payments process), whether the
// request comes through the gateway or straight to the process, with every token issued before.
// Each process keeps its own view of revoked users and reloads it on its own timer (the default
// ACCESS_REVOCATION_REFRESH_MS, as in production), so every entry point is checked, none assumed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.js';
import { startSplit, type Topology } from '../support/topology.js';
import { waitFor } from '../support/wait-for.js';
import { httpClient, type HttpClient, type JsonResponse } from './http-client.js';
import { adminToken, createProduct, E2E_ADMIN, registerCustomer } from './order-flow.scenario.js';

const address = { street: '3 Revoked Row', city: 'Capital City', zipCode: '11111', country: 'US' };
/** Bounds every wait on a revocation or reactivation to reach all processes: "within seconds". */
const REACHES_EVERY_PROCESS_MS = 5_000;

interface EntryPoint {
  /** Where the request goes in, and which process answers it. */
  label: string;
  request: (token: string) => Promise<JsonResponse>;
}

describe('revoked access, split topology', () => {
  let topology: Topology;
  let gateway: HttpClient;
  let admin: string;
  let customer: { id: string; token: string; email: string; password: string };
  let orderId: string;
  let entryPoints: EntryPoint[];

  beforeAll(async () => {
    topology = await startSplit(await createTestDatabase(), { ADMIN_EMAIL: E2E_ADMIN.email, ADMIN_PASSWORD: E2E_ADMIN.password });
    gateway = httpClient(topology.baseUrl);
    const direct = (name: 'orders' | 'payments') => httpClient(`http://127.0.0.1:${topology.processes[name]!.port}`);
    const ordersProcess = direct('orders');
    const paymentsProcess = direct('payments');

    admin = await adminToken(gateway);
    customer = await registerWithPassword(gateway);
    const product = await createProduct(gateway, admin, 5);
    const placed = await gateway.post('/api/v1/orders', { items: [{ productId: product.id, quantity: 1 }], shippingAddress: address }, customer.token);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    orderId = placed.body.id;

    const orders = (client: HttpClient) => (token: string) => client.get('/api/v1/orders', token);
    const payments = (client: HttpClient) => (token: string) => client.get(`/api/v1/payments?orderId=${orderId}`, token);
    entryPoints = [
      { label: 'users on the gateway', request: (token) => gateway.get('/api/v1/users/me', token) },
      { label: 'orders through the gateway', request: orders(gateway) },
      { label: 'orders on its own port', request: orders(ordersProcess) },
      { label: 'payments through the gateway', request: payments(gateway) },
      { label: 'payments on its own port', request: payments(paymentsProcess) },
    ];
  });
  afterAll(() => topology?.stop());

  /** Registers a customer and signs in, keeping the credentials for a later sign-in. */
  async function registerWithPassword(client: HttpClient) {
    const suffix = randomUUID().slice(0, 8);
    const input = { email: `revoked-${suffix}@example.com`, username: `revoked_${suffix}`, password: 'revoked-password' };
    const registered = await client.post('/api/v1/users', input);
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const token = await signIn(client, input.email, input.password);
    return { id: registered.body.id as string, token, email: input.email, password: input.password };
  }

  async function signIn(client: HttpClient, email: string, password: string): Promise<string> {
    const response = await client.post('/api/v1/auth/login', { email, password });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.accessToken;
  }

  async function setStatus(status: string) {
    const response = await gateway.patch(`/api/v1/users/${customer.id}/status`, { status }, admin);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.status).toBe(status);
  }

  /** Every entry point answers `token` as `works` says, polled until all agree or the deadline passes. */
  const everyEntryPoint = (token: string, works: (response: JsonResponse) => boolean, what: string) =>
    waitFor(async () => (await Promise.all(entryPoints.map(async ({ request }) => works(await request(token))))).every(Boolean), {
      timeoutMs: REACHES_EVERY_PROCESS_MS,
      what,
    });

  /** The refusal revoked-access.test.ts sees on the monolith: a 401 problem+json saying why. */
  const expectRefused = (response: JsonResponse, detail: string, label: string) => {
    expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(401);
    expect(response.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);
    expect(response.body, label).toMatchObject({ status: 401, detail });
  };

  const expectAllowed = async (token: string) => {
    for (const { label, request } of entryPoints) {
      const response = await request(token);
      expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(200);
    }
  };

  it('refuses a suspended user’s token on the orders and payments processes, through the gateway and directly, within seconds', async () => {
    // The token works everywhere first (payments answers for the order once it has learned of it).
    await everyEntryPoint(customer.token, (response) => response.status === 200, 'the customer’s token to work at every entry point');
    await expectAllowed(customer.token);
    const listed = await gateway.get('/api/v1/orders', customer.token);
    expect(listed.body.items.map((order: { id: string }) => order.id)).toEqual([orderId]);

    const startedAt = Date.now();
    await setStatus('suspended');
    await everyEntryPoint(customer.token, (response) => response.status === 401, 'the suspended customer’s token to be refused at every entry point');
    console.info(`[revoked access, split] suspended: token refused at every entry point ${Date.now() - startedAt} ms after the change`);
    for (const { label, request } of entryPoints) expectRefused(await request(customer.token), 'This account is suspended', label);
    // Writes are refused too, on the orders process itself.
    const ordersPort = topology.processes.orders!.port;
    const place = await httpClient(`http://127.0.0.1:${ordersPort}`).post('/api/v1/orders', { items: [], shippingAddress: address }, customer.token);
    expectRefused(place, 'This account is suspended', 'placing an order on the orders process');
    // An admin is untouched.
    expect((await gateway.get('/api/v1/orders', admin)).status).toBe(200);
  });

  it('restores access on reactivation to a new sign-in on every process, while tokens from before stay revoked', async () => {
    // Tokens carry whole seconds: reactivate in a later second than the old token's, so the old
    // one is unambiguously older than the change (as in revoked-access.test.ts).
    const issuedAt = JSON.parse(Buffer.from(customer.token.split('.')[1]!, 'base64url').toString()).iat as number;
    await waitFor(async () => Math.floor(Date.now() / 1000) > issuedAt, { what: 'the next second' });
    const startedAt = Date.now();
    await setStatus('active');
    const fresh = await signIn(gateway, customer.email, customer.password);
    await everyEntryPoint(fresh, (response) => response.status === 200, 'a new sign-in to work at every entry point after reactivation');
    console.info(`[revoked access, split] reactivated: new token accepted at every entry point ${Date.now() - startedAt} ms after the change`);
    await expectAllowed(fresh);
    for (const { label, request } of entryPoints) {
      expectRefused(await request(customer.token), 'This token was issued before a change to the account; sign in again', label);
    }
  });
});
