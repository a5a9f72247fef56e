// Rule: no file under src/modules, its tests and test support included, imports the composition
// root (src/app.ts and its parts in src/app/, main.ts above it, the module registry below it). A module is handed what it
// needs through its context; the root knows every module (the registry lists them all), so a
// module that imported it would depend on all of them and could not be moved into a service of
// its own. Module tests start the app through the harness in test/support (module-test.ts), the
// one place that wires it for them, instead of each module copying that wiring. tsarch checks
// imports; the specifier scan adds re-exports and import().
import { describe, expect, it } from 'vitest';
import { fixture, project, type CodeBase } from './support/code-base.js';
import { dependencies, describeDependency } from './support/dependencies.js';
import { COMPOSITION_ROOT } from './support/module-wiring.js';
import { describeFileDependency, tsarchDependencies } from './support/tsarch-dependencies.js';

const MODULES = '^src/modules/';
const ROOT = `^${COMPOSITION_ROOT}`;

async function rootImportsSeenByTsarch(codeBase: CodeBase): Promise<string[]> {
  return (await tsarchDependencies(codeBase, MODULES, ROOT)).map(describeFileDependency).sort();
}

function rootSpecifiers(codeBase: CodeBase): string[] {
  return dependencies(codeBase)
    .filter(({ from, to }) => new RegExp(MODULES).test(from) && new RegExp(ROOT).test(to))
    .map(describeDependency);
}

describe('composition root imports', () => {
  it('forbids every file under src/modules from importing app.ts (or src/app/), main.ts or module-registry.ts', async () => {
    expect(await rootImportsSeenByTsarch(project)).toEqual([]);
    expect(rootSpecifiers(project)).toEqual([]);
  });

  it('reports each way the fixture modules reach the composition root, including re-exports, import() and tests', async () => {
    const broken = fixture('composition-root-imports');
    expect(await rootImportsSeenByTsarch(broken)).toEqual([
      'src/modules/orders/http/place-order.test.ts imports src/app.ts',
      'src/modules/orders/orders.test-support.ts imports src/module-registry.ts',
      'src/modules/payments/payments.service.ts imports src/main.ts',
      'src/modules/users/users.service.ts imports src/app/infrastructure.ts',
    ]);
    expect(rootSpecifiers(broken)).toEqual([
      'src/modules/orders/http/place-order.test.ts:2 imports src/app.ts',
      'src/modules/orders/orders.test-support.ts:2 imports src/module-registry.ts',
      'src/modules/payments/payments.service.ts:3 imports src/main.ts',
      'src/modules/payments/payments.service.ts:7 dynamically imports src/app.ts',
      'src/modules/payments/settings.ts:2 re-exports src/main.ts',
      'src/modules/users/users.service.ts:2 imports src/app/infrastructure.ts',
    ]);
  });
});
