// What a remote contract reports, over real HTTP: each call timed under the outcome its caller saw,
// and its breaker's state per target module. Each test serves the fake catalog under a module name
// of its own, so the process-wide metrics it reads are its own.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait-for.js';
import { processMetrics } from '../observability/shop-metrics.js';
import { sampleValue } from '../observability/testing/prometheus-text.js';
import { createRemoteContract } from './remote-contract.js';
import type { RemotePolicy } from './resilience-policies.js';
import { catalogMethods, FakeCatalog, startCatalogServer, TEST_SECRET, type CatalogApi, type RunningServer } from './testing/fake-catalog.js';

const started: { server: RunningServer; api: FakeCatalog }[] = [];
afterEach(async () => {
  for (const { server, api } of started.splice(0)) {
    api.release();
    await server.close();
  }
});

let targets = 0;

async function meteredCatalog(policy: Partial<RemotePolicy> = {}, api = new FakeCatalog()) {
  const target = `metered-${++targets}`;
  const server = await startCatalogServer(api, { module: target });
  started.push({ server, api });
  const remote = createRemoteContract<CatalogApi>({ caller: 'orders', target, urls: [server.url], methods: catalogMethods, secret: TEST_SECRET, policy });
  const calls = async (method: string, outcome: string) =>
    sampleValue(await processMetrics.metrics(), 'shop_remote_call_duration_seconds_count', { target, method, outcome }) ?? 0;
  const circuit = async () => sampleValue(await processMetrics.metrics(), 'shop_remote_circuit_state', { target });
  return { api, remote, calls, circuit };
}

describe('remote call metrics', () => {
  it('times answered calls as ok, and a 4xx as error, by method', async () => {
    const { api, remote, calls } = await meteredCatalog();
    await remote.api.lookup(['a']);
    await remote.api.lookup(['b']);
    await remote.api.record('note');
    api.behaviour = 'refuse';
    await remote.api.lookup(['c']).catch(() => undefined);
    expect(await calls('lookup', 'ok')).toBe(2);
    expect(await calls('record', 'ok')).toBe(1);
    expect(await calls('lookup', 'error')).toBe(1);
  });

  it('times an answer outside the contract as mismatch', async () => {
    class OtherRelease extends FakeCatalog {
      override async lookup(ids: readonly string[]) {
        return ids.map((id) => ({ id, title: id })) as never;
      }
    }
    const { remote, calls } = await meteredCatalog({}, new OtherRelease());
    await remote.api.lookup(['a']).catch(() => undefined);
    expect(await calls('lookup', 'mismatch')).toBe(1);
    expect(await calls('lookup', 'ok')).toBe(0);
  });

  it('times a failed call as stale when its last good answer stood in, as unavailable otherwise, and reports the circuit opening', async () => {
    const { api, remote, calls, circuit } = await meteredCatalog({ breakerThreshold: 2, retries: 0, halfOpenAfterMs: 60_000 });
    await remote.api.lookup(['a']);
    expect(await circuit()).toBe(0);

    api.behaviour = 'fail';
    await remote.api.lookup(['a']); // answered from the last good answer
    await remote.api.record('note').catch(() => undefined); // nothing may stand in: unavailable, and the circuit opens
    expect(await calls('lookup', 'stale')).toBe(1);
    expect(await calls('record', 'unavailable')).toBe(1);
    expect(await circuit()).toBe(2);

    await remote.api.lookup(['b']).catch(() => undefined); // refused at once by the open circuit
    expect(await calls('lookup', 'unavailable')).toBe(1);
  });

  it('reports the circuit half-open while a trial call is out, and closed once it succeeds', async () => {
    const { api, remote, circuit } = await meteredCatalog({ breakerThreshold: 1, retries: 0, halfOpenAfterMs: 100 });
    api.behaviour = 'fail';
    await remote.api.lookup(['a']).catch(() => undefined);
    expect(await circuit()).toBe(2);

    api.behaviour = 'hang';
    const trial = await waitFor(
      async () => {
        const call = remote.api.lookup(['a']).catch(() => undefined);
        if ((await circuit()) === 1) return { call };
        await call;
        return null;
      },
      { timeoutMs: 5000, intervalMs: 20, what: 'a trial call' },
    );
    api.behaviour = 'answer';
    api.release();
    await trial.call;
    expect(await circuit()).toBe(0);
  });
});
