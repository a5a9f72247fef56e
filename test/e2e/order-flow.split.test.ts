// The same order flow, unchanged, against the split topology: a gateway hosting users and
// products, orders and payments in processes of their own, all on loopback ports.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.js';
import { startSplit, type Topology } from '../support/topology.js';
import { shopClient } from './http-client.js';
import { E2E_ADMIN, runHappyPath } from './order-flow.scenario.js';

describe('order flow, split topology', () => {
  let topology: Topology;
  beforeAll(async () => {
    topology = await startSplit(await createTestDatabase(), { ADMIN_EMAIL: E2E_ADMIN.email, ADMIN_PASSWORD: E2E_ADMIN.password });
  });
  afterAll(() => topology?.stop());

  it('takes an order from placement through payment to a full refund, restoring stock', async () => {
    const { placeToPaidMs } = await runHappyPath(shopClient(topology.baseUrl));
    console.info(`split: place → paid in ${placeToPaidMs.toFixed(0)} ms`);
  });
});
