// One trace across processes and events, in the split topology (a gateway with users and products,
// orders and payments apart), every process exporting its spans over OTLP/HTTP as JSON to a
// collector on loopback. The client starts each trace (its `traceparent`), so the test knows its id.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpCollector, type CollectedSpan, type OtlpCollector } from '../support/otlp-collector.js';
import { createTestDatabase } from '../support/test-database.js';
import { startSplit, type Topology } from '../support/topology.js';
import { waitFor } from '../support/wait-for.js';
import { as, shopClient, type ShopClient } from './http-client.js';
import { adminToken, createProduct, E2E_ADMIN, registerCustomer, waitForOrderStatus } from './order-flow.scenario.js';

const address = { street: '1 Main Street', city: 'Springfield', zipCode: '12345', country: 'US' } as const;
const SERVER = 2;
const CONSUMER = 5;

function newTrace() {
  const traceId = randomBytes(16).toString('hex');
  const rootSpanId = randomBytes(8).toString('hex');
  return { traceId, rootSpanId, headers: { traceparent: `00-${traceId}-${rootSpanId}-01` } };
}

/** Every span of the trace hangs from the client's root through spans of the same trace. */
function expectConnected(spans: CollectedSpan[], rootSpanId: string): void {
  const ids = new Set([rootSpanId, ...spans.map((span) => span.spanId)]);
  expect(spans.filter((span) => !ids.has(span.parentSpanId)).map((span) => span.name)).toEqual([]);
}

describe('tracing, split topology', () => {
  let collector: OtlpCollector;
  let topology: Topology;
  let client: ShopClient;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    topology = await startSplit(await createTestDatabase(), {
      ADMIN_EMAIL: E2E_ADMIN.email,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    client = shopClient(topology.baseUrl);
  });
  afterAll(async () => {
    await topology?.stop();
    await collector?.close();
  });

  const named = (spans: CollectedSpan[], name: string) => spans.filter((span) => span.name === name);
  const missing = (spans: CollectedSpan[], expected: string[][]) =>
    expected.filter(([name, service]) => !named(spans, name!).some((span) => span.service === service)).map(([name, service]) => `${name} in ${service}`);
  /** The trace's spans once each expected one has arrived: every process exports on its own schedule. */
  const spansWith = async (traceId: string, expected: string[][]) => {
    await waitFor(async () => missing(collector.spans(traceId), expected).length === 0, { timeoutMs: 20_000, what: `spans of trace ${traceId}` }).catch(() => {});
    const spans = collector.spans(traceId);
    expect(missing(spans, expected)).toEqual([]);
    return spans;
  };

  it('follows an order from its POST through the stock reservation to awaiting_payment, and a payment to paid with its stock committed', async () => {
    const admin = await adminToken(client);
    const customer = await registerCustomer(client);
    const widget = await createProduct(client, admin, 5, 1250);

    const placing = newTrace();
    const placed = await client.orders.placeOrder({ items: [{ productId: widget.id, quantity: 2 }], shippingAddress: address }, as(customer.token, placing.headers));
    expect(placed.status, JSON.stringify(placed.error)).toBe(201);
    await waitForOrderStatus(client, customer.token, placed.data.id, 'awaiting_payment');

    // The gateway takes the POST and forwards it; orders serves it, asks products (on the gateway)
    // for prices, and publishes; products reserves on the gateway and publishes back to orders.
    const placement = await spansWith(placing.traceId, [
      ['POST /api/v1/orders', 'shop-users-products'],
      ['POST /api/v1/orders', 'shop-orders'],
      ['products.getProducts', 'shop-orders'],
      ['publish orders.order-placed', 'shop-orders'],
      ['process products.reserve-stock', 'shop-users-products'],
      ['publish products.stock-reserved', 'shop-users-products'],
      ['process orders.stock-reserved', 'shop-orders'],
    ]);
    expect(placement.find((span) => span.kind === SERVER && span.service === 'shop-orders')?.attributes['shop.module']).toBe('orders');
    expect(new Set(placement.map((span) => span.service)).size).toBeGreaterThanOrEqual(2);
    expectConnected(placement, placing.rootSpanId);

    const paying = newTrace();
    const payment = await client.payments.createPayment(
      { orderId: placed.data.id, card: { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' } },
      as(customer.token, { 'idempotency-key': `trace-${randomUUID()}`, ...paying.headers }),
    );
    expect(payment.status, JSON.stringify(payment.error)).toBe(201);
    await waitForOrderStatus(client, customer.token, placed.data.id, 'paid');
    await waitFor(async () => (await client.products.getProduct(widget.id)).data.stock === 3, { what: 'the sale to be committed' });

    const settlement = await spansWith(paying.traceId, [
      ['POST /api/v1/payments', 'shop-users-products'],
      ['POST /api/v1/payments', 'shop-payments'],
      ['publish payments.payment-succeeded', 'shop-payments'],
      ['process orders.payment-succeeded', 'shop-orders'],
      ['publish orders.order-paid', 'shop-orders'],
      ['process products.commit-stock-on-payment', 'shop-users-products'],
    ]);
    // A delivery may fail and be retried in the same trace; each of these ended applied.
    for (const name of ['process orders.payment-succeeded', 'process products.commit-stock-on-payment']) {
      expect(named(settlement, name).filter((span) => span.kind === CONSUMER).map((span) => span.attributes['shop.delivery.outcome']), name).toContain('completed');
    }
    expectConnected(settlement, paying.rootSpanId);

    // The log lines of that work name the trace, in every process it crossed.
    for (const name of ['gateway', 'orders', 'payments']) {
      expect(topology.processes[name]!.child.output(), name).toContain(`"traceId":"${paying.traceId}"`);
    }
  });
});
