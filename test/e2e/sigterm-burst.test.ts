// SIGTERM in the middle of a burst of orders, as an orchestrator sends it: readiness turns 503 at
// once while requests are still served (the drain), then the server closes. Every request either
// completes, is refused with a problem+json 503, or never reaches the app: none is cut off or
// answered with anything else. After a restart every acknowledged order settles, and no order
// exists that its client was not told about.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, type RawAnswer } from '../support/raw-http.js';
import { createTestDatabase } from '../support/test-database.js';
import { startMonolith, type Topology } from '../support/topology.js';
import { as, shopClient, type ShopClient } from './http-client.js';
import { adminToken, createProduct, E2E_ADMIN, registerCustomer, waitForOrderStatus } from './order-flow.scenario.js';

const WAVES = 20;
const WAVE_SIZE = 6;
const ORDERS = WAVES * WAVE_SIZE;
const DRAIN_MS = 700;
const address = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' };

type Outcome = RawAnswer;
// The burst and the readiness polls go raw, not through the client: each outcome must say whether
// the connection was refused or reset, and when, which a client call turns into a thrown error.
const send = (baseUrl: string, method: string, path: string, token?: string, body?: unknown) =>
  rawRequest(`${baseUrl}${path}`, { method, ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });

async function countOrders(client: ShopClient, token: string) {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await client.orders.listOrders({ limit: 100, ...(cursor ? { cursor } : {}) }, as(token));
    expect(page.status, JSON.stringify(page.error)).toBe(200);
    count += page.data.items.length;
    cursor = page.data.nextCursor;
  } while (cursor);
  return count;
}

describe('SIGTERM under a burst of orders', () => {
  let topology: Topology;
  let client: ShopClient;
  beforeAll(async () => {
    topology = await startMonolith(await createTestDatabase(), {
      ADMIN_EMAIL: E2E_ADMIN.email,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      MAX_OPEN_ORDERS_PER_CUSTOMER: '0',
    });
    client = shopClient(topology.baseUrl);
  });
  afterAll(() => topology.stop());

  it('turns readiness 503 first, serves or refuses every request with problem+json, and settles every acknowledged order after a restart', async () => {
    const admin = await adminToken(client);
    const product = await createProduct(client, admin, 100_000);
    const customer = await registerCustomer(client);
    const place = () => send(topology.baseUrl, 'POST', '/api/v1/orders', customer.token, { items: [{ productId: product.id, quantity: 1 }], shippingAddress: address });

    const readiness: Outcome[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        readiness.push(await send(topology.baseUrl, 'GET', '/health/ready'));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    // A wave every 100 ms for two seconds: the signal lands after the third wave, the drain serves
    // the next seven or so, and the last waves meet a server that is closing or gone.
    const orders: Array<Promise<Outcome>> = [];
    let signalledAt = 0;
    for (let wave = 0; wave < WAVES; wave++) {
      for (let i = 0; i < WAVE_SIZE; i++) orders.push(place());
      if (wave === 2) {
        signalledAt = Date.now();
        topology.processes.monolith!.child.kill('SIGTERM');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const outcomes = await Promise.all(orders);
    const exitCode = await topology.processes.monolith!.child.exited;
    const stoppedAt = Date.now();
    polling = false;
    await poll;

    const answered = outcomes.filter((outcome): outcome is Extract<Outcome, { status: number }> => 'status' in outcome);
    const accepted = answered.filter((outcome) => outcome.status === 201);
    const refused = answered.filter((outcome) => outcome.status === 503);
    const unreachable = outcomes.filter((outcome): outcome is Extract<Outcome, { error: string }> => 'error' in outcome);
    console.info(
      `sigterm burst: ${ORDERS} orders, ${accepted.length} accepted (${accepted.filter((o) => o.at > signalledAt).length} after SIGTERM), ` +
        `${refused.length} refused 503, ${unreachable.length} could not connect; stopped ${stoppedAt - signalledAt} ms after SIGTERM, exit code ${exitCode}`,
    );

    expect(exitCode).toBe(0);
    // Nothing but an order, a problem+json refusal, or no connection at all.
    for (const outcome of answered) {
      expect([201, 503], outcome.body).toContain(outcome.status);
      if (outcome.status === 503) expect(outcome.contentType).toMatch(/^application\/problem\+json/);
    }
    // Refused once the socket is closed; reset when the connection sat in the kernel's accept
    // queue as the listening socket closed (the app never read it: the order count below proves it).
    for (const outcome of unreachable) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(outcome.error);
    // The drain served orders after the signal, and readiness said 503 before the server closed.
    expect(accepted.some((outcome) => outcome.at > signalledAt)).toBe(true);
    const firstNotReady = readiness.find((outcome) => outcome.at > signalledAt && 'status' in outcome && outcome.status === 503);
    expect(firstNotReady, 'readiness 503 during the drain').toBeDefined();
    const firstRefusal = [...refused, ...unreachable].sort((a, b) => a.at - b.at)[0];
    if (firstRefusal) expect(firstNotReady!.at).toBeLessThanOrEqual(firstRefusal.at);

    await topology.restart('monolith');
    const settleStart = Date.now();
    for (const outcome of accepted) {
      const order = JSON.parse(outcome.body) as { id: string };
      await waitForOrderStatus(client, customer.token, order.id, 'awaiting_payment');
    }
    console.info(`sigterm burst: all ${accepted.length} acknowledged orders awaiting payment ${Date.now() - settleStart} ms after the restart`);
    expect(await countOrders(client, customer.token)).toBe(accepted.length);
  }, 120_000);
});
