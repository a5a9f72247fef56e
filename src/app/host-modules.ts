// Hosting the modules this process serves, and reaching the ones it does not: public routes of
// remote modules are forwarded, contracts are handed to the modules that declared them in `needs`
// (the provider's own implementation when it is hosted here, a remote client otherwise), and every
// module's subscriptions and timers keep their queues, hosted or not.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config.js';
import type { Logger } from '../platform/logging/logger.js';
import type { ModuleContext, ModuleDefinition } from '../platform/modules/module-definition.js';
import { registerRemoteModuleProxy } from '../platform/proxy/remote-module-proxy.js';
import type { ContractDefinition } from '../platform/remote/contract-definition.js';
import { serveContract } from '../platform/remote/contract-routes.js';
import { connectContract } from '../platform/remote/remote-contract.js';
import type { Infrastructure } from './infrastructure.js';

export interface HostModulesOptions {
  config: AppConfig;
  logger: Logger;
  definitions: readonly ModuleDefinition[];
  /** The modules to host, each after those it needs. */
  hosted: readonly ModuleDefinition[];
  infrastructure: Infrastructure;
  /** Implementations that replace a provider's, by module name (test stand-ins). */
  overrides: Readonly<Record<string, unknown>>;
  serviceTokenSecret: string;
}

/** Hosts the modules; resolves to a starter that runs their start-up work once the app is wired. */
export async function hostModules(server: FastifyInstance, options: HostModulesOptions): Promise<() => Promise<void>> {
  const { config, logger, definitions, hosted, infrastructure, overrides } = options;
  const { bus, databaseOf, rateLimiter } = infrastructure;
  const definitionOf = (name: string) => definitions.find((definition) => definition.name === name)!;

  // Registered before the hosted modules' routes: a canary split must see their requests first.
  for (const [name, remote] of Object.entries(config.remoteModules)) {
    await registerRemoteModuleProxy(server, {
      module: name,
      prefixes: definitionOf(name).routePrefixes,
      urls: remote.urls,
      weight: remote.weight,
      hostedLocally: hosted.some((definition) => definition.name === name),
    });
  }

  // What each hosted module offers, for the modules hosted after it (they come in `needs` order),
  // and one remote client per calling module and provider (its breaker sees all of its calls).
  const offered = new Map<string, unknown>();
  const remoteClients = new Map<string, unknown>();
  const contractFor = (caller: ModuleDefinition) => <Api>(contract: ContractDefinition<Api>): Api => {
    const provider = contract.module;
    if (!caller.needs.includes(provider)) throw new Error(`module ${caller.name} uses the ${provider} contract without listing it in needs`);
    const clientKey = `${caller.name}>${provider}`;
    let implementation = overrides[provider] ?? offered.get(provider) ?? remoteClients.get(clientKey);
    if (implementation === undefined) {
      implementation = connectContract(contract, {
        caller: caller.name,
        urls: config.remoteModules[provider]!.urls,
        secret: options.serviceTokenSecret,
        policy: config.remoteCalls,
        logger,
      });
      remoteClients.set(clientKey, implementation);
    }
    if (!contract.isImplementedBy(implementation)) throw new Error(`what stands for the ${provider} module does not implement its contract`);
    return implementation;
  };

  const starters: Array<() => Promise<void>> = [];
  for (const definition of hosted) {
    if (definition.config && !(definition.name in config.moduleConfigs)) {
      throw new Error(`module ${definition.name} is hosted, but its settings were not read: list it in MODULES`);
    }
    const settings = config.moduleConfigs[definition.name];
    const context: ModuleContext = {
      config: settings,
      logger: logger.child({ module: definition.name }),
      db: databaseOf(definition.name),
      transaction: (work) => bus.transaction(definition.name, work),
      contract: contractFor(definition),
      rateLimiter,
    };
    const module = definition.create(context);
    await server.register(module.routes);
    if (definition.contract && module.api !== undefined) {
      offered.set(definition.name, module.api);
      // Other processes call this module's contract here, with a service token.
      await serveContract(server, definition.contract, module.api, options.serviceTokenSecret);
    }
    for (const subscription of [...(definition.subscriptions ?? []), ...(module.subscriptions ?? [])]) {
      bus.subscribe({ ...subscription, module: definition.name, schema: definition.schema });
    }
    for (const timer of definition.timers ?? []) {
      bus.handleTimer({ ...timer, module: definition.name, schema: definition.schema, afterSeconds: timer.afterSeconds(settings) });
    }
    if (module.onStart) starters.push(module.onStart);
  }

  // Queues of modules hosted elsewhere: events published meanwhile wait for their process.
  for (const definition of definitions) {
    if (hosted.includes(definition)) continue;
    for (const { name, pattern } of definition.subscriptions ?? []) bus.declare({ module: definition.name, name, pattern });
    for (const { name } of definition.timers ?? []) bus.declareTimer({ module: definition.name, name });
  }
  return async () => {
    for (const start of starters) await start();
  };
}
