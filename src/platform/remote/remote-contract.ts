// A module hosted by another process, reached through the same contract interface other modules
// use in process: `createRemoteContract<ProductsApi>(…).api` is a ProductsApi whose methods are
// HTTP calls to the routes of contract-routes.ts. The composition root hands it to the modules
// that need it, so their code does not change when the module moves out.
//
// When the module cannot answer, an idempotent call is answered with its last good answer (and the
// request is marked degraded, see degradation.ts); without one, or for a method that is not
// idempotent, the call fails with RemoteModuleUnavailableError. A 4xx is the module's answer and
// reaches the caller as a RemoteCallError carrying its status. An answer that does not fit the
// method's `returns` schema is a RemoteAnswerMismatchError: never retried, never remembered.
//
// Each call is timed, retries included, under the outcome its caller saw, and the breaker's state
// is read at every scrape (see observability/shop-metrics.ts).
import { performance } from 'node:perf_hooks';
import { isBrokenCircuitError } from 'cockatiel';
import type { Logger } from '../logging/logger.js';
import { observeRemoteCall, watchCircuit, type RemoteCallOutcome } from '../observability/shop-metrics.js';
import { schemaProblems } from '../schema/schema-problems.js';
import type { ContractDefinition } from './contract-definition.js';
import { methodNames, type ContractMethods } from './contract-methods.js';
import { createContractTransport } from './contract-transport.js';
import { reportDegraded } from './degradation.js';
import { LastGoodAnswers } from './last-good-answers.js';
import { isRemoteVerdict, RemoteAnswerMismatchError, RemoteModuleUnavailableError } from './remote-errors.js';
import { circuitStateName, createResiliencePolicies, type CircuitStateName, type RemotePolicy } from './resilience-policies.js';

export interface RemoteContractOptions<Api> {
  /** This process's calling module, named in the service token. */
  caller: string;
  /** The remote module. */
  target: string;
  /** Its replicas' base URLs, used in turn. */
  urls: readonly string[];
  methods: ContractMethods<Api>;
  /** SERVICE_TOKEN_SECRET, shared by every process of the system. */
  secret: string;
  policy?: Partial<RemotePolicy>;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export interface RemoteContract<Api> {
  api: Api;
  circuitState(): CircuitStateName;
}

const LAST_GOOD_ANSWERS = 500;

export type RemoteContractSettings = Omit<RemoteContractOptions<never>, 'target' | 'methods'>;

/** The contract of a module in another process, as the same interface its callers use in process. */
export function connectContract<Api>(contract: ContractDefinition<Api>, settings: RemoteContractSettings): Api {
  return createRemoteContract<Api>({ ...settings, target: contract.module, methods: contract.methods }).api;
}

export function createRemoteContract<Api>(options: RemoteContractOptions<Api>): RemoteContract<Api> {
  const { caller, target, urls, methods, secret, logger } = options;
  const send = createContractTransport({ caller, target, urls, secret });
  const { repeatable, once, breaker } = createResiliencePolicies(options.policy);
  const lastGood = new LastGoodAnswers(LAST_GOOD_ANSWERS);

  breaker.onBreak(() => logger?.warn({ module: target }, `circuit to the ${target} module opened: calls fail fast for now`));
  breaker.onReset(() => logger?.info({ module: target }, `circuit to the ${target} module closed again`));
  watchCircuit(target, breaker);

  async function call(method: string, args: unknown[]): Promise<unknown> {
    const { idempotent, returns } = methods[method as keyof Api & string];
    const key = idempotent ? `${method}:${JSON.stringify(args)}` : null;
    const startedAt = performance.now();
    const settled = (outcome: RemoteCallOutcome) => observeRemoteCall(target, method, outcome, (performance.now() - startedAt) / 1000);
    let result: unknown;
    try {
      result = await (idempotent ? repeatable : once).execute(({ signal }) => send(method, args, signal));
    } catch (error) {
      if (isRemoteVerdict(error)) {
        settled('error');
        throw error;
      }
      const stale = key === null ? undefined : lastGood.recall(key);
      if (stale === undefined) {
        settled('unavailable');
        throw new RemoteModuleUnavailableError(target, method, error);
      }
      // While the circuit is open this would repeat on every call; onBreak has said it once.
      if (!isBrokenCircuitError(error)) {
        logger?.warn({ module: target, method, err: error }, `the ${target} module did not answer; serving its last good answer`);
      }
      reportDegraded(target);
      settled('stale');
      return stale.answer;
    }
    const problems = schemaProblems(returns, result, 'answer');
    if (problems.length > 0) {
      // The caller's client gets a plain 502; what exactly differs is for the operators.
      logger?.warn({ module: target, method, problems }, `the ${target} module answered ${method} outside its contract`);
      settled('mismatch');
      throw new RemoteAnswerMismatchError(target, method, problems);
    }
    if (key !== null) lastGood.remember(key, result);
    settled('ok');
    return result;
  }

  const api = Object.fromEntries(
    methodNames(methods).map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as unknown as Api;
  return { api, circuitState: () => circuitStateName(breaker.state) };
}
