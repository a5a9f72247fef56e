// Rule: src/platform/** is shared infrastructure every module builds on, so it must not know any
// module (not even its api.ts or index.ts), the composition root (app.ts and its parts in app/,
// main.ts above it, the module registry below it), nor the application's configuration (config.ts): each platform part
// declares the options it takes, and config.ts composes them.
// Otherwise a module could not be lifted out with the platform, and platform changes would ripple
// into modules. tsarch checks imports; the specifier scan adds re-exports and import().
import { describe, expect, it } from 'vitest';
import { fixture, project, type CodeBase } from './support/code-base.js';
import { dependencies, describeDependency } from './support/dependencies.js';
import { describeFileDependency, tsarchDependencies } from './support/tsarch-dependencies.js';

// Anchored at src/: src/platform/modules/ (the module loader) is platform code, not a module.
const PLATFORM = '^src/platform/';
const FORBIDDEN_FOR_PLATFORM = '^src/(modules/|app/|(app|main|module-registry|config)\\.ts$)';

async function platformImportsSeenByTsarch(codeBase: CodeBase): Promise<string[]> {
  return (await tsarchDependencies(codeBase, PLATFORM, FORBIDDEN_FOR_PLATFORM)).map(describeFileDependency).sort();
}

function platformSpecifiers(codeBase: CodeBase): string[] {
  return dependencies(codeBase)
    .filter(({ from, to }) => new RegExp(PLATFORM).test(from) && new RegExp(FORBIDDEN_FOR_PLATFORM).test(to))
    .map(describeDependency);
}

describe('platform independence', () => {
  it('forbids src/platform from importing any module, the composition root or config.ts', async () => {
    expect(await platformImportsSeenByTsarch(project)).toEqual([]);
    expect(platformSpecifiers(project)).toEqual([]);
  });

  it('reports the fixture platform files that import a module, app.ts, main.ts, the registry or config.ts', async () => {
    const broken = fixture('platform-independence');
    expect(await platformImportsSeenByTsarch(broken)).toEqual([
      'src/platform/config/settings.ts imports src/config.ts',
      'src/platform/config/settings.ts imports src/module-registry.ts',
      'src/platform/events/event-bus.ts imports src/modules/users/index.ts',
      'src/platform/http/docs.ts imports src/app.ts',
      'src/platform/http/docs.ts imports src/main.ts',
    ]);
    expect(platformSpecifiers(broken)).toEqual([
      'src/platform/config/settings.ts:3 imports src/config.ts',
      'src/platform/config/settings.ts:4 imports src/module-registry.ts',
      'src/platform/db/tables.ts:2 re-exports src/modules/orders/db/schema.ts',
      'src/platform/events/event-bus.ts:3 imports src/modules/users/index.ts',
      'src/platform/http/docs.ts:2 imports src/app.ts',
      'src/platform/http/docs.ts:3 imports src/main.ts',
    ]);
  });
});
