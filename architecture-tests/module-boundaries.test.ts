// Rule: a module's only public doors are src/modules/<name>/index.ts (its definition) and api.ts
// (its published language). Everything else in the module folder is private to it, whoever
// imports: another module, app.ts, platform code. tsarch checks
// import declarations; the specifier scan adds what tsarch cannot see (`export … from`, `import()`).
import { describe, expect, it } from 'vitest';
import { fixture, moduleNames, project, type CodeBase } from './support/code-base.js';
import { dependencies, describeDependency } from './support/dependencies.js';
import { isModuleIndex, isPublishedLanguage, moduleOf } from './support/module-paths.js';
import { describeFileDependency, tsarchDependencies } from './support/tsarch-dependencies.js';

async function importsPastAnIndexSeenByTsarch(codeBase: CodeBase): Promise<string[]> {
  const perModule = await Promise.all(
    moduleNames(codeBase).map((name) =>
      tsarchDependencies(codeBase, `^src/(?!modules/${name}/)`, `^src/modules/${name}/(?!(index|api)\\.ts$)`),
    ),
  );
  return perModule.flat().map(describeFileDependency).sort();
}

function specifiersPastAnIndex(codeBase: CodeBase): string[] {
  return dependencies(codeBase)
    .filter(({ from, to }) => {
      const target = moduleOf(to);
      return target !== undefined && target !== moduleOf(from) && !isModuleIndex(to) && !isPublishedLanguage(to);
    })
    .map(describeDependency);
}

describe('module boundaries', () => {
  it('forbids a module (or any other code in src/) from importing another module except through its index.ts or api.ts', async () => {
    expect(await importsPastAnIndexSeenByTsarch(project)).toEqual([]);
    expect(specifiersPastAnIndex(project)).toEqual([]);
  });

  it('reports each way the fixture reaches past an index.ts, including re-exports and import()', async () => {
    const broken = fixture('module-boundaries');
    expect(await importsPastAnIndexSeenByTsarch(broken)).toEqual([
      'src/app.ts imports src/modules/users/db/schema.ts',
      'src/modules/orders/module.ts imports src/modules/users/db/schema.ts',
      'src/modules/payments/handlers/user-registered.handler.ts imports src/modules/users/http/index.ts',
    ]);
    expect(specifiersPastAnIndex(broken)).toEqual([
      'src/app.ts:3 imports src/modules/users/db/schema.ts',
      'src/modules/orders/db/user-columns.ts:3 re-exports src/modules/users/db/schema.ts',
      'src/modules/orders/module.ts:4 imports src/modules/users/db/schema.ts',
      'src/modules/orders/orders.service.ts:4 dynamically imports src/modules/users/users.service.ts',
      'src/modules/payments/handlers/user-registered.handler.ts:3 imports src/modules/users/http/index.ts',
    ]);
  });
});
