// The rules lean on a text scanner wherever tsarch is blind (re-exports, import(), packages, SQL,
// declared needs). These tests keep that scanner honest: on the real src/ and test/ it must see at
// least what tsarch's parser sees, it must read each specifier form while ignoring comments, and
// it must be able to read every module's `needs`.
import { describe, expect, it } from 'vitest';
import { moduleNames, project } from './support/code-base.js';
import { needsDeclarations, needsLists } from './support/declared-needs.js';
import { dependencies } from './support/dependencies.js';
import { importSpecifiers } from './support/import-specifiers.js';
import { lexSource } from './support/lex-source.js';
import { tsarchDependencies } from './support/tsarch-dependencies.js';

describe('source scanner', () => {
  it('sees every import between src/ and test/ files that tsarch sees', async () => {
    const scanned = new Set(dependencies(project).map(({ from, to }) => `${from} → ${to}`));
    const seenByTsarch = await tsarchDependencies(project, '^(src|test)/', '^(src|test)/');
    expect(seenByTsarch.length).toBeGreaterThan(50); // a wrong tsconfig would make this vacuous
    expect(seenByTsarch.map(({ from, to }) => `${from} → ${to}`).filter((edge) => !scanned.has(edge))).toEqual([]);
  });

  it('reads imports, type imports, re-exports and import() calls, and skips comments and strings that only look like them', () => {
    const source = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      'import {',
      '  c,',
      '  type C,',
      "} from './c.js';",
      "import d, * as dd from './d.js';",
      "import './e.js';",
      "export { f } from './f.js';",
      "export type * as G from './g.js';",
      "export * from './h.js';",
      "const i = await import('./i.js');",
      "type J = typeof import('./j.js');",
      "// import k from './k.js';",
      "/* export { l } from './l.js'; */",
      "const pattern = /['\"]/; const m = \"import m from './m.js'\";",
      'export const n = 1;',
      "export { n as o };",
    ].join('\n');
    const found = importSpecifiers(lexSource(source)).map(({ kind, specifier }) => `${kind} ${specifier}`);
    expect(found).toEqual([
      'imports ./a.js',
      'imports ./b.js',
      'imports ./c.js',
      'imports ./d.js',
      'imports ./e.js',
      're-exports ./f.js',
      're-exports ./g.js',
      're-exports ./h.js',
      'dynamically imports ./i.js',
      'dynamically imports ./j.js',
    ]);
  });

  it("reads every module's needs from its module.ts, as string literals the cycle rule can follow", () => {
    const declarations = needsDeclarations(project);
    expect(declarations.filter(({ names }) => names === null).map(({ file, line }) => `${file}:${line}`)).toEqual([]);
    expect([...new Set(declarations.map(({ module }) => module))]).toEqual(moduleNames(project));
  });

  it('reads a needs list of quoted names, and marks one with anything else unreadable', () => {
    const source = [
      "const a = { needs: ['products', \"users\"] };",
      'const b = { needs: [] };',
      "const c = { needs: [usersModule.name, 'orders'] };",
      'const d = { needs: [`users`] };',
      "const e = { // needs: ['commented']",
      '  needs: [',
      "    'payments', // the contract it calls",
      '  ],',
      '};',
      "const f = { stillNeeds: ['x'] };",
    ].join('\n');
    expect(needsLists(lexSource(source)).map(({ names }) => names)).toEqual([['products', 'users'], [], null, null, ['payments']]);
  });
});
