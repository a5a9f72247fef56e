// The module test harness, after Spring Modulith's @ApplicationModuleTest and its Scenario: one
// module (and whatever the test names next to it, e.g. users to sign in) hosted for real on the
// real platform (Postgres, pg-boss, Fastify); every contract it needs that is not hosted for real
// answered by a typed stand-in; every other module of the registry hosted as a shell that only
// publishes its events when the test says so; and a probe module hearing what the hosted modules
// publish. Module tests start here: only test/ may import the composition root.
import type { App } from '../../src/app.js';
import { ALL_MODULES } from '../../src/module-registry.js';
import type { EventData, EventDefinition } from '../../src/platform/events/event-definition.js';
import type { ModuleDefinition } from '../../src/platform/modules/module-definition.js';
import type { ContractDefinition } from '../../src/platform/remote/contract-definition.js';
import { moduleShell } from './module-shell.js';
import { probeModule, type ProbeModule } from './probe-module.js';
import { publishedEvents, type Seen, type Where } from './published-events.js';
import type { StandIn } from './stand-in.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';
import { createTestDatabase } from './test-database.js';
import { handledIn, publishAsPublisher, type Upstream } from './upstream-events.js';
import { startAppWithAdmin, startGuardedApp, type Injector } from './users.js';
import { waitFor } from './wait-for.js';

export type { StandIn } from './stand-in.js';
export { standIn } from './stand-in.js';

type Auth = { authorization: string };

export interface ModuleTestOptions {
  /** Further modules hosted for real: registry names, or definitions (a registry module's replacement, or a fixture module). */
  alongside?: ReadonlyArray<string | ModuleDefinition>;
  /** Contracts answered by stand-ins instead of their provider, even one hosted for real (its routes and events stay real). */
  standIns?: readonly StandIn[];
  /** Settings, as the environment variables a process reads (over the test defaults). */
  env?: Record<string, string>;
  /** Collect log lines in `app.logs`. */
  captureLogs?: boolean;
}

export interface Scenario extends Upstream {
  app: TestApp;
  /** The app's server; every answer through it is checked for leaked secrets. */
  client: Injector;
  /** The bootstrap admin, signed in; there is one when users is hosted. */
  readonly admin: Auth;
  /** Waits until the subscriptions of the hosted modules have handled the event (see `publish`). */
  handled(eventId: string): Promise<void>;
  /** Polls `condition` until it answers something truthy, or fails after the deadline naming `what`. */
  eventually<T>(condition: () => Promise<T | null | undefined | false>, waiting?: { what?: string; timeoutMs?: number }): Promise<T>;
  /** Waits until a hosted module has published a matching event and a subscriber got it; resolves to the first one. */
  published<Definition extends EventDefinition>(event: Definition, where?: Where<Definition>): Promise<Seen<Definition>>;
  /** Every matching event the hosted modules have published so far, delivered yet or not, oldest first. */
  publishedSoFar<Definition extends EventDefinition>(event: Definition, where?: Where<Definition>): Promise<Array<Seen<Definition>>>;
  /** A hosted module's contract, as the composition root hands it to a module that needs it. */
  contract<Api>(definition: ContractDefinition<Api>): Api;
  /** The subscriber the events are seen by: for tests of delivery itself (its inbox, what it received). */
  probe: Pick<ProbeModule, 'schema' | 'received' | 'queueOf'>;
  /** A second process on the same database hosting the same modules, as a replica would be. */
  startReplica(): Promise<Replica>;
  /** Closes the replicas and the app. */
  close(): Promise<void>;
}

export interface Replica extends Upstream {
  app: TestApp;
}

/** Hosts `module` (a registry name, or a definition replacing the registry's) as described above. */
export async function startModuleTest(module: string | ModuleDefinition, options: ModuleTestOptions = {}): Promise<Scenario> {
  const real = [module, ...(options.alongside ?? [])].map(realDefinition);
  const standIns = options.standIns ?? [];
  checkContracts(real, standIns);
  const probe = probeModule(real);
  const definitions = [
    ...ALL_MODULES.map((registered) => real.find((definition) => definition.name === registered.name) ?? moduleShell(registered)),
    ...real.filter((definition) => !ALL_MODULES.some((registered) => registered.name === definition.name)),
    probe.definition,
  ];
  const appOptions: TestAppOptions = {
    definitions,
    hostedModules: definitions.map((definition) => definition.name),
    contracts: Object.fromEntries(standIns.map((standIn) => [standIn.module, standIn.implementation])),
    ...(options.env ? { env: options.env } : {}),
    ...(options.captureLogs ? { captureLogs: true } : {}),
  };
  const databaseUrl = await createTestDatabase();
  await probe.createSchema(databaseUrl);
  // The bootstrap admin lives in users: without it there is nobody to sign in.
  const withAdmin = real.some((definition) => definition.name === 'users');
  const started = withAdmin ? await startAppWithAdmin({ ...appOptions, databaseUrl }) : { ...(await startGuardedApp({ ...appOptions, databaseUrl })), admin: undefined };
  const { app, client } = started;

  const publish = <Definition extends EventDefinition>(on: App, event: Definition, data: EventData<Definition>) => publishAsPublisher(on, definitions, event, data);
  // The queues whose handling counts: the hosted modules' subscriptions, not the probe's.
  const subscriptionQueues = real.flatMap((definition) => (definition.subscriptions ?? []).map(({ name }) => `${definition.name}.${name}`));
  const events = publishedEvents(app, probe, definitions.flatMap((definition) => definition.publishes));
  const replicas: TestApp[] = [];
  return {
    app,
    client,
    get admin(): Auth {
      if (!started.admin) throw new Error('no bootstrap admin: the scenario does not host users');
      return started.admin;
    },
    publish: (event, data) => publish(app, event, data),
    handled: (eventId) => handledIn(app, subscriptionQueues, eventId),
    eventually: (condition, waiting) => waitFor(condition, waiting),
    published: events.published,
    publishedSoFar: events.publishedSoFar,
    contract: (definition) => {
      if (!probe.definition.needs.includes(definition.module)) throw new Error(`the ${definition.module} contract is not offered by a module hosted for real here`);
      return probe.contract(definition);
    },
    probe,
    async startReplica() {
      const replica = await startTestApp({
        ...appOptions,
        databaseUrl: app.databaseUrl,
        // It keeps the probe's queues (declared) but leaves the receiving to the first process.
        hostedModules: definitions.filter((definition) => definition !== probe.definition).map((definition) => definition.name),
      });
      replicas.push(replica);
      return { app: replica, publish: (event, data) => publish(replica, event, data) };
    },
    async close() {
      await Promise.all(replicas.map((replica) => replica.close()));
      await app.close();
    },
  };
}

function realDefinition(module: string | ModuleDefinition): ModuleDefinition {
  if (typeof module !== 'string') return module;
  const definition = ALL_MODULES.find((registered) => registered.name === module);
  if (!definition) throw new Error(`no module "${module}" in the registry (${ALL_MODULES.map(({ name }) => name).join(', ')})`);
  return definition;
}

// Refused here, in one line, rather than handing a hosted module a shell's missing contract.
function checkContracts(real: readonly ModuleDefinition[], standIns: readonly StandIn[]): void {
  const provided = new Set([...real.map(({ name }) => name), ...standIns.map(({ module }) => module)]);
  for (const definition of real) {
    const missing = definition.needs.find((needed) => !provided.has(needed));
    if (missing) throw new Error(`${definition.name} needs the ${missing} contract: host ${missing} alongside, or give standIn(<the ${missing} contract>, …)`);
  }
  const needed = new Set(real.flatMap(({ needs }) => needs));
  const unused = standIns.find(({ module }) => !needed.has(module));
  if (unused) throw new Error(`a stand-in for the ${unused.module} contract, which no hosted module needs`);
}
