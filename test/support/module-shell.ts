// A module the test does not run, reduced to what others see of it on the bus: its name, its schema
// and the events it publishes; no routes, subscriptions, timers or contract. The harness hosts one
// in place of every such module so that a test can publish that module's events exactly as it
// would (a bus transaction under its own database role, its schema check, its envelope), while
// none of its behaviour answers the module under test.
import type { ModuleDefinition } from '../../src/platform/modules/module-definition.js';

export function moduleShell(definition: ModuleDefinition): ModuleDefinition {
  return {
    name: definition.name,
    schema: definition.schema,
    routePrefixes: [],
    publishes: definition.publishes,
    needs: [],
    create: () => ({ routes: async () => {} }),
  };
}
