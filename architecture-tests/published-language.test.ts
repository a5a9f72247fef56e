// Rule: a module's published language (src/modules/<name>/api.ts) imports nothing but TypeBox,
// src/platform/ (types and helpers such as defineEvent) and other modules' api.ts, and what it
// imports loads no package but TypeBox either (defineContract is data, not the remote-call stack). Every other
// module reads it, in both directions, and a module moved to a service of its own still shares
// it: an import of its own tables, services or definition would drag the module's runtime (and
// its dependencies) into each reader, and another package into each code base that reads it.
// tsarch checks import declarations between files; the specifier scan adds re-exports, import()
// and packages, which tsarch does not report.
import { describe, expect, it } from 'vitest';
import { fixture, project, type CodeBase } from './support/code-base.js';
import { dependencies, describeDependency, describePackageImport, packageImports } from './support/dependencies.js';
import { isPublishedLanguage } from './support/module-paths.js';
import { describeFileDependency, tsarchDependencies } from './support/tsarch-dependencies.js';

const PUBLISHED_LANGUAGE = String.raw`^src/modules/[^/]+/api\.ts$`;
const MAY_IMPORT = String.raw`src/platform/|src/modules/[^/]+/api\.ts$`;
const TYPEBOX = /^typebox(\/|$)/;

async function importsSeenByTsarch(codeBase: CodeBase): Promise<string[]> {
  return (await tsarchDependencies(codeBase, PUBLISHED_LANGUAGE, `^(?!${MAY_IMPORT})`)).map(describeFileDependency).sort();
}

function importedFiles(codeBase: CodeBase): string[] {
  return dependencies(codeBase)
    .filter(({ from, to }) => isPublishedLanguage(from) && !new RegExp(`^(?:${MAY_IMPORT})`).test(to))
    .map(describeDependency);
}

/**
 * Packages a published language loads through the files it imports, however indirectly: reading
 * a module's events or contract must not load Fastify, a database driver or the remote-call stack.
 */
function packagesLoaded(codeBase: CodeBase): string[] {
  const edges = dependencies(codeBase);
  const packages = packageImports(codeBase).filter(({ specifier }) => !TYPEBOX.test(specifier));
  const found: string[] = [];
  for (const language of new Set(edges.map(({ from }) => from).filter(isPublishedLanguage))) {
    const reached = new Set([language]);
    const queue = [language];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const { from, to } of edges) {
        if (from === file && !reached.has(to)) reached.add(to), queue.push(to);
      }
    }
    reached.delete(language); // its own imports are the first rule's
    for (const loaded of packages.filter(({ from }) => reached.has(from))) {
      found.push(`${language} loads ${loaded.specifier} (${describePackageImport(loaded)})`);
    }
  }
  return found.sort();
}

function importedPackages(codeBase: CodeBase): string[] {
  return packageImports(codeBase)
    .filter(({ from, specifier }) => isPublishedLanguage(from) && !TYPEBOX.test(specifier))
    .map(describePackageImport);
}

describe('published languages', () => {
  it("forbids a module's api.ts from importing anything but typebox, src/platform and other modules' api.ts", async () => {
    expect(await importsSeenByTsarch(project)).toEqual([]);
    expect(importedFiles(project)).toEqual([]);
    expect(importedPackages(project)).toEqual([]);
  });

  it('forbids a published language from loading any package but typebox through the files it imports', () => {
    expect(packagesLoaded(project)).toEqual([]);
  });

  it('reports the fixture api.ts that loads Fastify through platform code', () => {
    expect(packagesLoaded(fixture('published-language'))).toEqual([
      // orders' api.ts reads users' api.ts, and so loads what it loads.
      'src/modules/orders/api.ts loads fastify (src/platform/http/serve.ts:2 imports fastify)',
      'src/modules/users/api.ts loads fastify (src/platform/http/serve.ts:2 imports fastify)',
    ]);
  });

  it("reports the fixture api.ts imports of its own module's files, another module's internals and index.ts, and packages", async () => {
    const broken = fixture('published-language');
    expect(await importsSeenByTsarch(broken)).toEqual([
      'src/modules/orders/api.ts imports src/config.ts',
      'src/modules/orders/api.ts imports src/modules/orders/db/schema.ts',
      'src/modules/orders/api.ts imports src/modules/payments/index.ts',
      'src/modules/orders/api.ts imports src/modules/users/domain/user.ts',
    ]);
    expect(importedFiles(broken)).toEqual([
      'src/modules/orders/api.ts:7 imports src/modules/orders/db/schema.ts',
      'src/modules/orders/api.ts:9 imports src/modules/users/domain/user.ts',
      'src/modules/orders/api.ts:11 imports src/modules/payments/index.ts',
      'src/modules/orders/api.ts:13 imports src/config.ts',
      'src/modules/orders/api.ts:15 re-exports src/modules/orders/events.ts',
    ]);
    expect(importedPackages(broken)).toEqual([
      'src/modules/orders/api.ts:17 imports zod',
      'src/modules/orders/api.ts:18 imports @sinclair/typebox',
      'src/modules/orders/api.ts:19 imports node:crypto',
    ]);
  });
});
