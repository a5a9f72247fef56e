// A module's contract as its published language defines it: the module that offers it and its
// methods (idempotence, argument and answer schemas), typed by the interface. The definition also
// knows how to serve the contract to other processes and how to reach it in another process, so
// the composition root wires contracts through it without ever naming (or casting to) an
// interface: the type travels with the definition.
import type { FastifyInstance } from 'fastify';
import type { Contract, ContractMethods } from './contract-methods.js';
import { registerContractRoutes } from './contract-routes.js';
import { createRemoteContract, type RemoteContractOptions } from './remote-contract.js';

export type RemoteContractSettings = Omit<RemoteContractOptions<never>, 'target' | 'methods'>;

export interface ContractDefinition<Api> {
  readonly module: string;
  readonly methods: ContractMethods<Api>;
  /** Whether `value` has every method of the contract: what a hosted module or stand-in offers is checked, not assumed. */
  isImplementedBy(value: unknown): value is Api;
  /** Serves `api` on the contract's internal routes, for callers holding a service token. */
  serve(server: FastifyInstance, api: Api, secret: string): Promise<void>;
  /** The contract of the module in another process, as the same interface. */
  connect(settings: RemoteContractSettings): Api;
}

export function defineContract<Api extends Contract<Api>>(module: string, methods: ContractMethods<Api>): ContractDefinition<Api> {
  return {
    module,
    methods,
    isImplementedBy: (value): value is Api =>
      typeof value === 'object' && value !== null && Object.keys(methods).every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
    serve: (server, api, secret) => registerContractRoutes(server, { module, api, methods, secret }),
    connect: (settings) => createRemoteContract<Api>({ ...settings, target: module, methods }).api,
  };
}
