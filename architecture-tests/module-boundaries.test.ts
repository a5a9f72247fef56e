// Rule: a module's public door is src/modules/<name>/api.ts, its published language (events and
// contract). Its index.ts (the module definition, its runtime) is open only to the code that wires
// modules: the composition root and the test harness. Everything else in the module folder is
// private to it, whoever imports: another module, app.ts, a test, platform code. tsarch checks
// import declarations; the specifier scan adds what tsarch cannot see (`export … from`, `import()`).
import { describe, expect, it } from 'vitest';
import { fixture, moduleNames, project, type CodeBase } from './support/code-base.js';
import { dependencies, describeDependency, type Dependency } from './support/dependencies.js';
import { isModuleIndex, isPublishedLanguage, moduleOf } from './support/module-paths.js';
import { COMPOSITION_ROOT, isCompositionRoot, isTestHarness, TEST_HARNESS } from './support/module-wiring.js';
import { describeFileDependency, tsarchDependencies } from './support/tsarch-dependencies.js';

async function boundaryCrossingsSeenByTsarch(codeBase: CodeBase): Promise<string[]> {
  const perModule = await Promise.all(
    moduleNames(codeBase).flatMap((name) => {
      const outside = `^(?!src/modules/${name}/)`;
      return [
        tsarchDependencies(codeBase, outside, `^src/modules/${name}/(?!(index|api)\\.ts$)`),
        tsarchDependencies(codeBase, `${outside}(?!${COMPOSITION_ROOT}|${TEST_HARNESS})`, `^src/modules/${name}/index\\.ts$`),
      ];
    }),
  );
  return perModule.flat().map(describeFileDependency).sort();
}

function crossesABoundary({ from, to }: Dependency): boolean {
  const target = moduleOf(to);
  if (target === undefined || target === moduleOf(from) || isPublishedLanguage(to)) return false;
  return !(isModuleIndex(to) && (isCompositionRoot(from) || isTestHarness(from)));
}

function boundaryCrossingSpecifiers(codeBase: CodeBase): string[] {
  return dependencies(codeBase).filter(crossesABoundary).map(describeDependency);
}

describe('module boundaries', () => {
  it("forbids importing another module except through its api.ts, or its index.ts from app.ts, main.ts and tests", async () => {
    expect(await boundaryCrossingsSeenByTsarch(project)).toEqual([]);
    expect(boundaryCrossingSpecifiers(project)).toEqual([]);
  });

  it('reports each way the fixture reaches past an api.ts, including re-exports, import() and tests', async () => {
    const broken = fixture('module-boundaries');
    expect(await boundaryCrossingsSeenByTsarch(broken)).toEqual([
      'src/app.ts imports src/modules/users/db/schema.ts',
      'src/config.ts imports src/modules/users/index.ts',
      'src/modules/orders/module.ts imports src/modules/users/db/schema.ts',
      'src/modules/orders/module.ts imports src/modules/users/index.ts',
      'src/modules/orders/orders.test-support.ts imports src/modules/users/users.service.ts',
      'src/modules/payments/handlers/user-registered.handler.ts imports src/modules/users/http/index.ts',
      'test/support/seed-users.ts imports src/modules/users/db/schema.ts',
    ]);
    expect(boundaryCrossingSpecifiers(broken)).toEqual([
      'src/app.ts:4 imports src/modules/users/db/schema.ts',
      'src/config.ts:2 imports src/modules/users/index.ts',
      'src/modules/orders/db/user-columns.ts:3 re-exports src/modules/users/db/schema.ts',
      'src/modules/orders/module.ts:3 imports src/modules/users/index.ts',
      'src/modules/orders/module.ts:5 imports src/modules/users/db/schema.ts',
      'src/modules/orders/orders.service.ts:4 dynamically imports src/modules/users/users.service.ts',
      'src/modules/orders/orders.test-support.ts:4 imports src/modules/users/users.service.ts',
      'src/modules/payments/handlers/user-registered.handler.ts:3 imports src/modules/users/http/index.ts',
      'test/support/seed-users.ts:3 imports src/modules/users/db/schema.ts',
    ]);
  });
});
