// Rule: src/platform/** is shared infrastructure every module builds on, so it must not know any
// module (not even its api.ts or index.ts) nor the composition root (app.ts, or main.ts above it).
// Otherwise a module could not be lifted out with the platform, and platform changes would ripple
// into modules. tsarch checks imports; the specifier scan adds re-exports and import().
import { describe, expect, it } from 'vitest';
import { fixture, project, type CodeBase } from './support/code-base.js';
import { dependencies, describeDependency } from './support/dependencies.js';
import { describeFileDependency, tsarchDependencies } from './support/tsarch-dependencies.js';

// Anchored at src/: src/platform/modules/ (the module loader) is platform code, not a module.
const PLATFORM = '^src/platform/';
const FORBIDDEN_FOR_PLATFORM = '^src/(modules/|app\\.ts$|main\\.ts$)';

async function platformImportsSeenByTsarch(codeBase: CodeBase): Promise<string[]> {
  return (await tsarchDependencies(codeBase, PLATFORM, FORBIDDEN_FOR_PLATFORM)).map(describeFileDependency).sort();
}

function platformSpecifiers(codeBase: CodeBase): string[] {
  return dependencies(codeBase)
    .filter(({ from, to }) => new RegExp(PLATFORM).test(from) && new RegExp(FORBIDDEN_FOR_PLATFORM).test(to))
    .map(describeDependency);
}

describe('platform independence', () => {
  it('forbids src/platform from importing any module or the composition root (app.ts, main.ts)', async () => {
    expect(await platformImportsSeenByTsarch(project)).toEqual([]);
    expect(platformSpecifiers(project)).toEqual([]);
  });

  it('reports the fixture platform files that import a module, app.ts or main.ts', async () => {
    const broken = fixture('platform-independence');
    expect(await platformImportsSeenByTsarch(broken)).toEqual([
      'src/platform/events/event-bus.ts imports src/modules/users/index.ts',
      'src/platform/http/docs.ts imports src/app.ts',
      'src/platform/http/docs.ts imports src/main.ts',
    ]);
    expect(platformSpecifiers(broken)).toEqual([
      'src/platform/db/tables.ts:2 re-exports src/modules/orders/db/schema.ts',
      'src/platform/events/event-bus.ts:3 imports src/modules/users/index.ts',
      'src/platform/http/docs.ts:2 imports src/app.ts',
      'src/platform/http/docs.ts:3 imports src/main.ts',
    ]);
  });
});
