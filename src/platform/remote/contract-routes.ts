// Serves a hosted module's contract to processes that do not host it: one internal route per
// method, so the remote client (remote-contract.ts) reaches the very same implementation other
// modules call in process. Internal routes are not part of the public API: hidden from the OpenAPI
// document, and open only to callers holding a service token addressed to this module.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problem } from '../http/problem.js';
import type { ContractDefinition } from './contract-definition.js';
import { contractPath, methodNames, type ContractMethods } from './contract-methods.js';
import { verifyServiceToken } from './service-token.js';

export interface ContractRoutesOptions<Api> {
  /** The hosted module; service tokens must be addressed to it. */
  module: string;
  api: Api;
  methods: ContractMethods<Api>;
  /** SERVICE_TOKEN_SECRET, shared by every process of the system. */
  secret: string;
}

// `result` may be absent: a method returning nothing sends `{}`, read back as undefined.
const CallResult = Type.Object({ result: Type.Optional(Type.Unknown()) });

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** Serves `api`, the hosted module's implementation of `contract`, on the contract's internal routes. */
export function serveContract<Api>(server: FastifyInstance, contract: ContractDefinition<Api>, api: Api, secret: string): Promise<void> {
  return registerContractRoutes(server, { module: contract.module, api, methods: contract.methods, secret });
}

export async function registerContractRoutes<Api>(
  server: FastifyInstance,
  { module, api, methods, secret }: ContractRoutesOptions<Api>,
): Promise<void> {
  if (!secret) throw new Error(`the ${module} contract routes need the service token secret`);

  const requireServiceToken = async (request: FastifyRequest) => {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (token === undefined) throw problem.unauthorized('A service token is required');
    try {
      verifyServiceToken(secret, token, module);
    } catch (error) {
      // The reason helps whoever misconfigured a process; the caller learns only "no".
      request.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'service token refused');
      throw problem.unauthorized('The service token is not valid for this module');
    }
  };

  for (const name of methodNames(methods)) {
    const method = api[name] as unknown;
    if (typeof method !== 'function') throw new Error(`the ${module} api has no method ${name}`);
    server.post(
      contractPath(module, name),
      {
        onRequest: requireServiceToken,
        schema: {
          hide: true,
          tags: ['internal'],
          summary: `${module}.${name} (contract call between modules)`,
          body: Type.Object({ args: methods[name].args }, { additionalProperties: false }),
          response: { 200: CallResult },
        },
      },
      // Called on `api` so class-based implementations keep their `this`. The args fit the method's
      // schema (a 400 otherwise); thrown errors go to the app's error handler: HttpProblems keep
      // their status, anything else is a 500.
      async (request) => {
        const { args } = request.body as { args: unknown[] };
        return { result: await (method as (...args: unknown[]) => Promise<unknown>).apply(api, args) };
      },
    );
  }
}
