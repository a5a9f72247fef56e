// Revocation in the split topology: a suspended user loses access within seconds on every process
// (the gateway hosting users and products, the orders process, the payments process), whether the
// request comes through the gateway or straight to the process, with every token issued before.
// Each process keeps its own view of revoked users and reloads it on its own timer (the default
// ACCESS_REVOCATION_REFRESH_MS, as in production), so every entry point is checked, none assumed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserStatus } from '../../clients/typescript/shop-api.js';
import { createTestDatabase } from '../support/test-database.js';
import { startSplit, type Topology } from '../support/topology.js';
import { waitFor } from '../support/wait-for.js';
import { as, shopClient, type ApiResponse, type ShopClient } from './http-client.js';
import { adminToken, createProduct, E2E_ADMIN, loginAs } from './order-flow.scenario.js';

const address = { street: '3 Revoked Row', city: 'Capital City', zipCode: '11111', country: 'US' } as const;
/** Bounds every wait on a revocation or reactivation to reach all processes: "within seconds". */
const REACHES_EVERY_PROCESS_MS = 5_000;

interface EntryPoint {
  /** Where the request goes in, and which process answers it. */
  label: string;
  request: (token: string) => Promise<ApiResponse>;
}

describe('revoked access, split topology', () => {
  let topology: Topology;
  let gateway: ShopClient;
  let admin: string;
  let customer: { id: string; token: string; email: string; password: string };
  let orderId: string;
  let entryPoints: EntryPoint[];

  beforeAll(async () => {
    topology = await startSplit(await createTestDatabase(), { ADMIN_EMAIL: E2E_ADMIN.email, ADMIN_PASSWORD: E2E_ADMIN.password });
    gateway = shopClient(topology.baseUrl);
    const direct = (name: 'orders' | 'payments') => shopClient(`http://127.0.0.1:${topology.processes[name]!.port}`);
    const ordersProcess = direct('orders');
    const paymentsProcess = direct('payments');

    admin = await adminToken(gateway);
    customer = await registerWithPassword(gateway);
    const product = await createProduct(gateway, admin, 5);
    const placed = await gateway.orders.placeOrder({ items: [{ productId: product.id, quantity: 1 }], shippingAddress: address }, as(customer.token));
    expect(placed.status, JSON.stringify(placed.error)).toBe(201);
    orderId = placed.data.id;

    const orders = (client: ShopClient) => (token: string) => client.orders.listOrders({}, as(token));
    const payments = (client: ShopClient) => (token: string) => client.payments.listPayments({ orderId }, as(token));
    entryPoints = [
      { label: 'users on the gateway', request: (token) => gateway.users.getCurrentUser(as(token)) },
      { label: 'orders through the gateway', request: orders(gateway) },
      { label: 'orders on its own port', request: orders(ordersProcess) },
      { label: 'payments through the gateway', request: payments(gateway) },
      { label: 'payments on its own port', request: payments(paymentsProcess) },
    ];
  });
  afterAll(() => topology?.stop());

  /** Registers a customer and signs in, keeping the credentials for a later sign-in. */
  async function registerWithPassword(client: ShopClient) {
    const suffix = randomUUID().slice(0, 8);
    const input = { email: `revoked-${suffix}@example.com`, username: `revoked_${suffix}`, password: 'revoked-password' };
    const registered = await client.users.registerUser(input);
    expect(registered.status, JSON.stringify(registered.error)).toBe(201);
    const token = await loginAs(client, input.email, input.password);
    return { id: registered.data.id, token, email: input.email, password: input.password };
  }

  async function setStatus(status: UserStatus) {
    const response = await gateway.users.changeUserStatus(customer.id, { status }, as(admin));
    expect(response.status, JSON.stringify(response.error)).toBe(200);
    expect(response.data.status).toBe(status);
  }

  /** Every entry point answers `token` as `works` says, polled until all agree or the deadline passes. */
  const everyEntryPoint = (token: string, works: (response: ApiResponse) => boolean, what: string) =>
    waitFor(async () => (await Promise.all(entryPoints.map(async ({ request }) => works(await request(token))))).every(Boolean), {
      timeoutMs: REACHES_EVERY_PROCESS_MS,
      what,
    });

  /** The refusal revoked-access.test.ts sees on the monolith: a 401 problem+json saying why. */
  const expectRefused = (response: ApiResponse, detail: string, label: string) => {
    expect(response.status, `${label}: ${JSON.stringify(response.data)}`).toBe(401);
    expect(response.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);
    expect(response.error, label).toMatchObject({ status: 401, detail });
  };

  const expectAllowed = async (token: string) => {
    for (const { label, request } of entryPoints) {
      const response = await request(token);
      expect(response.status, `${label}: ${JSON.stringify(response.error)}`).toBe(200);
    }
  };

  it('refuses a suspended user’s token on the orders and payments processes, through the gateway and directly, within seconds', async () => {
    // The token works everywhere first (payments answers for the order once it has learned of it).
    await everyEntryPoint(customer.token, (response) => response.status === 200, 'the customer’s token to work at every entry point');
    await expectAllowed(customer.token);
    const listed = await gateway.orders.listOrders({}, as(customer.token));
    expect(listed.data.items.map((order) => order.id)).toEqual([orderId]);

    const startedAt = Date.now();
    await setStatus('suspended');
    await everyEntryPoint(customer.token, (response) => response.status === 401, 'the suspended customer’s token to be refused at every entry point');
    console.info(`[revoked access, split] suspended: token refused at every entry point ${Date.now() - startedAt} ms after the change`);
    for (const { label, request } of entryPoints) expectRefused(await request(customer.token), 'This account is suspended', label);
    // Writes are refused too, on the orders process itself.
    const ordersPort = topology.processes.orders!.port;
    // An empty order would fail validation; the refusal must come first, from the token.
    const emptyOrder = { items: [], shippingAddress: address };
    const place = await shopClient(`http://127.0.0.1:${ordersPort}`).orders.placeOrder(emptyOrder, as(customer.token));
    expectRefused(place, 'This account is suspended', 'placing an order on the orders process');
    // An admin is untouched.
    expect((await gateway.orders.listOrders({}, as(admin))).status).toBe(200);
  });

  it('restores access on reactivation to a new sign-in on every process, while tokens from before stay revoked', async () => {
    // Tokens carry whole seconds: reactivate in a later second than the old token's, so the old
    // one is unambiguously older than the change (as in revoked-access.test.ts).
    const issuedAt = JSON.parse(Buffer.from(customer.token.split('.')[1]!, 'base64url').toString()).iat as number;
    await waitFor(async () => Math.floor(Date.now() / 1000) > issuedAt, { what: 'the next second' });
    const startedAt = Date.now();
    await setStatus('active');
    const fresh = await loginAs(gateway, customer.email, customer.password);
    await everyEntryPoint(fresh, (response) => response.status === 200, 'a new sign-in to work at every entry point after reactivation');
    console.info(`[revoked access, split] reactivated: new token accepted at every entry point ${Date.now() - startedAt} ms after the change`);
    await expectAllowed(fresh);
    for (const { label, request } of entryPoints) {
      expectRefused(await request(customer.token), 'This token was issued before a change to the account; sign in again', label);
    }
  });
});
