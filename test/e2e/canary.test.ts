// A gradual move: the products module stays hosted in the main process while half of its public
// traffic goes to a process of its own (REMOTE_MODULES=products=url@50).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAFE_PRODUCTION_ENV } from '../support/production-env.js';
import { createTestDatabase } from '../support/test-database.js';
import { startCanary, type Topology } from '../support/topology.js';
import { shopClient } from './http-client.js';

// Requests the process at `baseUrl` served for the products list, from its own Prometheus metrics.
async function servedProductLists(baseUrl: string): Promise<number> {
  const metrics = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${SAFE_PRODUCTION_ENV.METRICS_TOKEN}` } })).text();
  const line = metrics.split('\n').find((row) => row.startsWith('http_request_duration_seconds_count{') && row.includes('route="/api/v1/products"') && row.includes('method="GET"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('canary', () => {
  let topology: Topology;
  beforeAll(async () => {
    topology = await startCanary(await createTestDatabase(), 50);
  });
  afterAll(() => topology?.stop());

  it('with weight 50, splits 200 requests between the local module and the remote one', async () => {
    const client = shopClient(topology.baseUrl);
    const remoteUrl = `http://127.0.0.1:${topology.processes.products!.port}`;
    const before = await servedProductLists(remoteUrl);

    for (let i = 0; i < 200; i++) expect((await client.products.listProducts({ limit: 1 })).status).toBe(200);

    // Every request reached the main process; those not forwarded were served by its own module,
    // so both sides serving 60..140 of 200 is one check on the remote count.
    const remote = (await servedProductLists(remoteUrl)) - before;
    expect(remote).toBeGreaterThanOrEqual(60);
    expect(remote).toBeLessThanOrEqual(140);
    console.info(`canary: ${remote} of 200 requests served by the remote products process`);
  });
});
