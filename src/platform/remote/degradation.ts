// A response composed from several modules reports which of them answered from stale data. The
// contract calls happen deep in services and the answer is shaped far above, so instead of
// threading a flag through every signature, each request scope collects reports in
// AsyncLocalStorage: the remote client reports, the route that composes the answer reads.
import { AsyncLocalStorage } from 'node:async_hooks';

interface Scope {
  modules: Set<string>;
  parent: Scope | undefined;
}

const current = new AsyncLocalStorage<Scope>();

/** Runs `work` and returns, with its result, the modules that answered degraded meanwhile. */
export async function trackDegradation<T>(work: () => Promise<T>): Promise<{ result: T; degraded: string[] }> {
  const scope: Scope = { modules: new Set(), parent: current.getStore() };
  const result = await current.run(scope, work);
  return { result, degraded: [...scope.modules].sort() };
}

/** Records that `module` answered degraded; outside any tracked scope nobody asked, so no-op. */
export function reportDegraded(module: string): void {
  // Enclosing scopes hear it too: an outer composition is as degraded as any part of it.
  for (let scope = current.getStore(); scope; scope = scope.parent) scope.modules.add(module);
}
