// Every process documents every public operation of the application, the modules it hosts and
// those it forwards to other processes alike: clients reach them all through it, and the document
// is the same whatever the topology. A module hosted elsewhere has its routes registered here for
// the document only: created with an inert context (its settings' defaults, no database, contracts
// and rate limiter that refuse any call), each of its routes carries a router constraint no
// request ever has, so requests under its prefixes still reach the forwarding routes. The OpenAPI
// generator sees those routes as it sees hosted ones, through the same schemas and the same
// document code: nothing is fetched from the other processes, nothing is copied by hand.
//
// What a module's create() may do, for this to be safe: build its services and routes without
// calling anything (calls are made by handlers, and these handlers never run).
import type { FastifyInstance } from 'fastify';
import { envReader } from '../config/env-reader.js';
import type { Logger } from '../logging/logger.js';
import type { ModuleContext, ModuleDefinition } from '../modules/module-definition.js';

/** The router compiles strategy names into code: an identifier. */
const CONSTRAINT = 'documentationOnly';
const DOCUMENTED = 'documented';

export interface RemoteModuleDocsOptions {
  /** Every module of the application. */
  definitions: readonly ModuleDefinition[];
  /** Whether this process hosts the module (its own routes document it then). */
  hostedHere(module: string): boolean;
  logger: Logger;
}

/** Call it once the platform's decorators (authenticate) exist: route definitions use them. */
export async function registerRemoteModuleDocs(server: FastifyInstance, options: RemoteModuleDocsOptions): Promise<void> {
  const elsewhere = options.definitions.filter((definition) => !options.hostedHere(definition.name));
  if (elsewhere.length === 0) return;

  server.addConstraintStrategy({
    name: CONSTRAINT,
    storage: () => {
      const handlers = new Map<unknown, unknown>();
      return { get: (value: unknown) => (handlers.get(value) ?? null) as never, set: (value: unknown, handler: unknown) => void handlers.set(value, handler) };
    },
    // Every request derives the same value, never the documented routes' one: they never match.
    deriveConstraint: () => 'served',
    // Routes without the constraint (all the others) match every request.
    mustMatchWhenDerived: false,
  });

  for (const definition of elsewhere) {
    const module = definition.create(documentationContext(definition, options.logger));
    await server.register(async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.constraints = { ...route.constraints, [CONSTRAINT]: DOCUMENTED };
        // Should a request ever reach one, it fails loudly rather than run a handler on nothing.
        route.handler = async () => {
          throw new Error(`${route.method} ${route.url} is documented here, but the ${definition.name} module is hosted elsewhere`);
        };
      });
      await scope.register(module.routes);
    });
  }
}

/** What create() gets for a module that only needs documenting: nothing that would work. */
function documentationContext(definition: ModuleDefinition, logger: Logger): ModuleContext {
  const refusing = (what: string) => refusingObject(`${definition.name} is hosted elsewhere: its ${what} is not available in this process`);
  return {
    // Its settings' defaults (its own variables are read where it is hosted, and may be required
    // there): route definitions must not depend on settings for the document to be one document.
    config: definition.config?.(envReader({}, false)),
    logger: logger.child({ module: definition.name, documentationOnly: true }),
    db: refusing('database') as ModuleContext['db'],
    transaction: async () => {
      throw new Error(`${definition.name} is hosted elsewhere: no transaction in this process`);
    },
    contract: (contract) => refusing(`${contract.module} contract`) as never,
    rateLimiter: refusing('rate limiter') as ModuleContext['rateLimiter'],
  };
}

/** An object whose every method throws `message` when called (holding or passing it along is fine). */
function refusingObject(message: string): object {
  return new Proxy(
    {},
    {
      get: (_target, property) =>
        // Not a thenable, and symbols (inspection, coercion) answer nothing.
        typeof property === 'symbol' || property === 'then'
          ? undefined
          : () => {
              throw new Error(message);
            },
    },
  );
}
