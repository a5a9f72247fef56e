// What the files of a code base import, read from the source text (see import-specifiers.ts for
// what counts): the file-to-file dependencies (relative specifiers, resolved to files), and apart
// from them the packages and node: built-ins, which only the published-language rule limits.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { CodeBase } from './code-base.js';
import { importSpecifiers, type ImportKind } from './import-specifiers.js';
import { lexSource } from './lex-source.js';
import { lineNumberAt } from './line-number.js';
import { readSource, sourceFiles, toPosix } from './source-files.js';

/** A specifier as a file names it. */
interface NamedImport {
  /** Root-relative path of the importing file, e.g. 'src/modules/orders/module.ts'. */
  from: string;
  /** As written: './db/schema.js', 'typebox/compile', 'node:fs'. */
  specifier: string;
  kind: ImportKind;
  line: number;
}

export interface Dependency extends NamedImport {
  /** Root-relative path of the imported file, e.g. 'src/modules/users/db/schema.ts'. */
  to: string;
}

export type PackageImport = NamedImport;

const cache = new Map<string, NamedImport[]>();

export function dependencies(codeBase: CodeBase): Dependency[] {
  return specifiers(codeBase)
    .filter(({ specifier }) => isRelative(specifier))
    .map((found) => ({ ...found, to: resolveRelative(codeBase, found.from, found.specifier) }));
}

export function packageImports(codeBase: CodeBase): PackageImport[] {
  return specifiers(codeBase).filter(({ specifier }) => !isRelative(specifier));
}

/** 'src/modules/orders/module.ts:3 imports src/modules/users/db/schema.ts' */
export function describeDependency(dependency: Dependency): string {
  return `${dependency.from}:${dependency.line} ${dependency.kind} ${dependency.to}`;
}

/** 'src/modules/orders/api.ts:4 imports zod' */
export function describePackageImport(found: PackageImport): string {
  return `${found.from}:${found.line} ${found.kind} ${found.specifier}`;
}

// Every rule reads the same scan, so each code base is lexed once.
function specifiers(codeBase: CodeBase): NamedImport[] {
  const cached = cache.get(codeBase.root);
  if (cached) return cached;
  const found = sourceFiles(codeBase).flatMap((file) => {
    const lexed = lexSource(readSource(codeBase, file));
    return importSpecifiers(lexed).map(({ specifier, kind, offset }) => ({
      from: file,
      specifier,
      kind,
      line: lineNumberAt(lexed.code, offset),
    }));
  });
  cache.set(codeBase.root, found);
  return found;
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('.');
}

// Imports name the emitted file ('./x.js') while the source is './x.ts'; an extensionless
// specifier may mean a file or a folder's index. The first candidate that exists wins; if none
// does, the most likely one is still returned so a rule can judge where the import points.
function resolveRelative(codeBase: CodeBase, file: string, specifier: string): string {
  const target = path.resolve(codeBase.root, path.dirname(file), specifier);
  const candidates = [
    ...[['.js', '.ts'], ['.js', '.tsx'], ['.mjs', '.mts'], ['.cjs', '.cts']]
      .filter(([emitted]) => target.endsWith(emitted!))
      .map(([emitted, source]) => target.slice(0, -emitted!.length) + source),
    target,
    `${target}.ts`,
    `${target}/index.ts`,
  ];
  const resolved = candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile()) ?? candidates[0]!;
  return toPosix(path.relative(codeBase.root, resolved));
}
