import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait-for.js';
import { trackDegradation } from './degradation.js';
import { createRemoteContract } from './remote-contract.js';
import { RemoteAnswerMismatchError, RemoteCallError, RemoteModuleUnavailableError } from './remote-errors.js';
import type { RemotePolicy } from './resilience-policies.js';
import {
  CATALOG,
  catalogMethods,
  FakeCatalog,
  startCatalogServer,
  TEST_SECRET,
  type CatalogApi,
  type RunningServer,
} from './testing/fake-catalog.js';

const started: { server: RunningServer; api: FakeCatalog }[] = [];
afterEach(async () => {
  for (const { server, api } of started.splice(0)) {
    api.release(); // a hanging handler would hold the server open
    await server.close();
  }
});

async function serveCatalog(api = new FakeCatalog()) {
  const server = await startCatalogServer(api);
  started.push({ server, api });
  return { api, url: server.url };
}

function client(urls: string[], policy: Partial<RemotePolicy> = {}, secret = TEST_SECRET) {
  return createRemoteContract<CatalogApi>({ caller: 'orders', target: CATALOG, urls, methods: catalogMethods, secret, policy });
}

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value) => {
      throw new Error(`expected the call to fail, it answered ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('remote contract', () => {
  it('round-trips a call through HTTP and answers the remote result, not degraded', async () => {
    const { api, url } = await serveCatalog();
    const remote = client([url]);
    const { result, degraded } = await trackDegradation(() => remote.api.lookup(['a', 'b']));
    expect(result).toEqual([
      { id: 'a', name: 'catalog:a' },
      { id: 'b', name: 'catalog:b' },
    ]);
    expect(degraded).toEqual([]);
    expect(await remote.api.record('note')).toEqual({ recorded: 1 });
    expect(api.invocations).toEqual({ lookup: 1, record: 1 });
    expect(remote.circuitState()).toBe('closed');
  });

  it('reports an answer outside the contract as a RemoteAnswerMismatchError naming the fields, without retrying', async () => {
    // A catalog of another release, answering `title` where the contract says `name`.
    class OtherRelease extends FakeCatalog {
      override async lookup(ids: readonly string[]) {
        this.invocations.lookup++;
        return ids.map((id) => ({ id, title: id })) as never;
      }
    }
    const { api, url } = await serveCatalog(new OtherRelease());
    const error = await failure(client([url]).api.lookup(['a']));
    expect(error).toBeInstanceOf(RemoteAnswerMismatchError);
    expect((error as RemoteAnswerMismatchError).problems).toEqual(['answer/0 must have required properties name']);
    expect((error as RemoteAnswerMismatchError).status).toBe(502);
    expect(api.invocations.lookup).toBe(1);
  });

  it('surfaces a 4xx as a RemoteCallError with its status, without retrying or tripping the breaker', async () => {
    const { api, url } = await serveCatalog();
    api.behaviour = 'refuse';
    const remote = client([url], { breakerThreshold: 2 });
    for (let i = 0; i < 4; i++) {
      const error = await failure(remote.api.lookup(['a']));
      expect(error).toBeInstanceOf(RemoteCallError);
      expect(error).toMatchObject({ status: 404, module: CATALOG, method: 'lookup' });
    }
    expect(api.invocations.lookup).toBe(4);
    expect(remote.circuitState()).toBe('closed');
  });

  it('is refused with a 401 RemoteCallError when the processes do not share the service token secret', async () => {
    const { api, url } = await serveCatalog();
    const error = await failure(client([url], {}, 'a-different-secret-0123456789abcdefgh').api.lookup(['a']));
    expect(error).toBeInstanceOf(RemoteCallError);
    expect(error).toMatchObject({ status: 401 });
    expect(api.invocations.lookup).toBe(0);
  });

  it('retries an idempotent call that failed, until it succeeds', async () => {
    const { api, url } = await serveCatalog();
    api.script('fail', 'fail');
    const remote = client([url], { retries: 2 });
    expect(await remote.api.lookup(['a'])).toEqual([{ id: 'a', name: 'catalog:a' }]);
    expect(api.invocations.lookup).toBe(3);
  });

  it('gives up on an idempotent call after the configured retries', async () => {
    const { api, url } = await serveCatalog();
    api.behaviour = 'fail';
    const remote = client([url], { retries: 2 });
    expect(await failure(remote.api.lookup(['a']))).toBeInstanceOf(RemoteModuleUnavailableError);
    expect(api.invocations.lookup).toBe(3);
  });

  it('never retries a call that is not idempotent', async () => {
    const { api, url } = await serveCatalog();
    api.script('fail', 'fail');
    const remote = client([url], { retries: 2 });
    const error = await failure(remote.api.record('note'));
    expect(error).toBeInstanceOf(RemoteModuleUnavailableError);
    expect(error).toMatchObject({ module: CATALOG, method: 'record', status: 503 });
    expect(api.invocations.record).toBe(1);
  });

  it('fails a call that gets no answer within the timeout, idempotent or not', async () => {
    const { api, url } = await serveCatalog();
    api.behaviour = 'hang';
    const remote = client([url], { timeoutMs: 100, retries: 0 });
    for (const call of [() => remote.api.lookup(['a']), () => remote.api.record('note')]) {
      const startedAt = Date.now();
      const error = await failure(call());
      expect(Date.now() - startedAt).toBeLessThan(1500);
      expect(error).toBeInstanceOf(RemoteModuleUnavailableError);
      expect((error as Error).cause).toBeInstanceOf(TaskCancelledError);
    }
  });

  it('retries an idempotent call whose attempts timed out', async () => {
    const { api, url } = await serveCatalog();
    api.script('hang', 'hang');
    const remote = client([url], { timeoutMs: 100, retries: 2 });
    expect(await remote.api.lookup(['a'])).toEqual([{ id: 'a', name: 'catalog:a' }]);
    expect(api.invocations.lookup).toBe(3);
  });

  it('opens the circuit after consecutive failures, then fails fast without reaching the module', async () => {
    const { api, url } = await serveCatalog();
    api.behaviour = 'fail';
    const remote = client([url], { breakerThreshold: 3, retries: 0, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 2; i++) await failure(remote.api.lookup([`x${i}`]));
    expect(remote.circuitState()).toBe('closed');
    await failure(remote.api.lookup(['x2']));
    expect(remote.circuitState()).toBe('open');

    const error = await failure(remote.api.lookup(['x3']));
    expect(error).toBeInstanceOf(RemoteModuleUnavailableError);
    expect((error as Error).cause).toBeInstanceOf(BrokenCircuitError);
    expect(await failure(remote.api.record('note'))).toBeInstanceOf(RemoteModuleUnavailableError);
    expect(api.invocations).toEqual({ lookup: 3, record: 0 });
  });

  it('counts a call that failed after its retries as one failure for the breaker', async () => {
    const { api, url } = await serveCatalog();
    api.behaviour = 'fail';
    const remote = client([url], { breakerThreshold: 2, retries: 2, halfOpenAfterMs: 60_000 });
    await failure(remote.api.lookup(['a']));
    expect(api.invocations.lookup).toBe(3);
    expect(remote.circuitState()).toBe('closed');
    await failure(remote.api.lookup(['a']));
    expect(remote.circuitState()).toBe('open');
  });

  it('closes the circuit again once a trial call succeeds after halfOpenAfterMs', async () => {
    const { api, url } = await serveCatalog();
    api.behaviour = 'fail';
    const remote = client([url], { breakerThreshold: 1, retries: 0, halfOpenAfterMs: 150 });
    await failure(remote.api.lookup(['a']));
    expect(remote.circuitState()).toBe('open');

    api.behaviour = 'answer';
    await waitFor(
      async () => {
        await remote.api.lookup(['a']).catch(() => undefined);
        return remote.circuitState() === 'closed';
      },
      { timeoutMs: 5000, intervalMs: 20, what: 'the circuit to close' },
    );
    // Only the one trial call reached the module; the others failed fast while the circuit was open.
    expect(api.invocations.lookup).toBe(2);
    expect(await remote.api.lookup(['b'])).toEqual([{ id: 'b', name: 'catalog:b' }]);
  });

  it('reopens the circuit when the trial call fails', async () => {
    const { api, url } = await serveCatalog();
    api.behaviour = 'fail';
    const remote = client([url], { breakerThreshold: 1, retries: 0, halfOpenAfterMs: 150 });
    await failure(remote.api.lookup(['a']));
    await waitFor(
      async () => {
        await remote.api.lookup(['a']).catch(() => undefined);
        return api.invocations.lookup === 2;
      },
      { timeoutMs: 5000, intervalMs: 20, what: 'a trial call' },
    );
    expect(remote.circuitState()).toBe('open');
  });

  it('refuses calls beyond the bulkhead limit plus its queue, and runs the queued ones later', async () => {
    const { api, url } = await serveCatalog();
    api.script('hang');
    const remote = client([url], { bulkheadLimit: 1, bulkheadQueue: 1, timeoutMs: 10_000, retries: 0 });
    const running = remote.api.lookup(['first']);
    const queued = remote.api.lookup(['second']);
    const refused = await failure(remote.api.lookup(['third']));
    expect(refused).toBeInstanceOf(RemoteModuleUnavailableError);
    expect((refused as Error).cause).toBeInstanceOf(BulkheadRejectedError);

    await waitFor(async () => api.invocations.lookup === 1, { what: 'the first call to reach the module' });
    expect(api.invocations.lookup).toBe(1); // the queued call waits for the slot
    api.release();
    expect(await running).toEqual([{ id: 'first', name: 'catalog:first' }]);
    expect(await queued).toEqual([{ id: 'second', name: 'catalog:second' }]);
    expect(api.invocations.lookup).toBe(2);
  });

  it('serves the last good answer while the module is down, and reports the module as degraded', async () => {
    const { api, url } = await serveCatalog();
    const remote = client([url], { breakerThreshold: 1, retries: 0, halfOpenAfterMs: 60_000 });
    const fresh = await remote.api.lookup(['a']);

    api.behaviour = 'fail';
    const afterFailure = await trackDegradation(() => remote.api.lookup(['a']));
    expect(afterFailure).toEqual({ result: fresh, degraded: [CATALOG] });
    expect(remote.circuitState()).toBe('open');

    const whileOpen = await trackDegradation(async () => ({ entries: await remote.api.lookup(['a']) }));
    expect(whileOpen).toEqual({ result: { entries: fresh }, degraded: [CATALOG] });
    expect(api.invocations.lookup).toBe(2); // the open circuit answered without reaching the module
  });

  it('names the module in RemoteModuleUnavailableError when there is no last good answer', async () => {
    const { api, url } = await serveCatalog();
    const remote = client([url], { breakerThreshold: 1, retries: 0, halfOpenAfterMs: 60_000 });
    await remote.api.lookup(['a']);
    await remote.api.record('kept?');
    api.behaviour = 'fail';

    const { result, degraded } = await trackDegradation(() => failure(remote.api.lookup(['b'])));
    expect(result).toBeInstanceOf(RemoteModuleUnavailableError);
    expect(result).toMatchObject({ module: CATALOG, method: 'lookup' });
    expect((result as Error).message).toContain(CATALOG);
    expect(degraded).toEqual([]);
    // A call that is not idempotent is never answered from an earlier answer.
    expect(await failure(remote.api.record('kept?'))).toBeInstanceOf(RemoteModuleUnavailableError);
  });

  it('uses several URLs in turn', async () => {
    const one = await serveCatalog(new FakeCatalog('one'));
    const two = await serveCatalog(new FakeCatalog('two'));
    const remote = client([one.url, two.url]);
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await remote.api.lookup(['a']))[0]?.name);
    expect(names).toEqual(['one:a', 'two:a', 'one:a', 'two:a']);
    expect(one.api.invocations.lookup).toBe(2);
    expect(two.api.invocations.lookup).toBe(2);
  });

  it('sends a retry to the next URL, so one broken replica does not fail the call', async () => {
    const broken = await serveCatalog(new FakeCatalog('broken'));
    const healthy = await serveCatalog(new FakeCatalog('healthy'));
    broken.api.behaviour = 'fail';
    const remote = client([broken.url, healthy.url], { retries: 1 });
    expect(await remote.api.lookup(['a'])).toEqual([{ id: 'a', name: 'healthy:a' }]);
    expect(broken.api.invocations.lookup).toBe(1);
  });

  it('treats an unreachable module as unavailable', async () => {
    const { url } = await serveCatalog();
    await started.pop()!.server.close();
    const error = await failure(client([url], { retries: 0 }).api.lookup(['a']));
    expect(error).toBeInstanceOf(RemoteModuleUnavailableError);
  });
});
