// The file-to-file dependencies of a code base's src/, read from the source text (see
// import-specifiers.ts for what counts). Only relative specifiers are followed: packages and
// node: built-ins are not part of the architecture these rules guard.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { CodeBase } from './code-base.js';
import { importSpecifiers, type ImportKind } from './import-specifiers.js';
import { lexSource } from './lex-source.js';
import { lineNumberAt } from './line-number.js';
import { readSource, sourceFiles, toPosix } from './source-files.js';

export interface Dependency {
  /** Root-relative paths, e.g. 'src/modules/orders/module.ts'. */
  from: string;
  to: string;
  kind: ImportKind;
  specifier: string;
  line: number;
}

const cache = new Map<string, Dependency[]>();

export function dependencies(codeBase: CodeBase): Dependency[] {
  const cached = cache.get(codeBase.root);
  if (cached) return cached;
  const found = sourceFiles(codeBase).flatMap((file) => dependenciesOf(codeBase, file));
  cache.set(codeBase.root, found);
  return found;
}

/** 'src/modules/orders/module.ts:3 imports src/modules/users/db/schema.ts' */
export function describeDependency(dependency: Dependency): string {
  return `${dependency.from}:${dependency.line} ${dependency.kind} ${dependency.to}`;
}

function dependenciesOf(codeBase: CodeBase, file: string): Dependency[] {
  const lexed = lexSource(readSource(codeBase, file));
  return importSpecifiers(lexed)
    .filter(({ specifier }) => specifier.startsWith('.'))
    .map(({ specifier, kind, offset }) => ({
      from: file,
      to: resolveRelative(codeBase, file, specifier),
      kind,
      specifier,
      line: lineNumberAt(lexed.code, offset),
    }));
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

