// The order flow over real HTTP against the monolith: one process hosting every module.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.js';
import { startMonolith, type Topology } from '../support/topology.js';
import { shopClient } from './http-client.js';
import { E2E_ADMIN, runHappyPath } from './order-flow.scenario.js';

describe('order flow, monolith', () => {
  let topology: Topology;
  beforeAll(async () => {
    topology = await startMonolith(await createTestDatabase(), { ADMIN_EMAIL: E2E_ADMIN.email, ADMIN_PASSWORD: E2E_ADMIN.password });
  });
  afterAll(() => topology?.stop());

  it('takes an order from placement through payment to a full refund, restoring stock', async () => {
    const { placeToPaidMs } = await runHappyPath(shopClient(topology.baseUrl));
    console.info(`monolith: place → paid in ${placeToPaidMs.toFixed(0)} ms`);
  });
});
