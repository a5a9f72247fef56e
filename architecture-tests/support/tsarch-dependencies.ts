// tsarch, used as a dependency query: "which files matching A import files matching B?".
// tsarch labels a file by its path relative to the folder of the tsconfig it reads: '../src/…'
// for the project (whose tsconfig lives in architecture-tests/), 'src/…' for a fixture. Rules are
// written against root-relative paths ('^src/…'), and this file translates both ways.
import path from 'node:path';
import { filesOfProject } from 'tsarch';
import type { CodeBase } from './code-base.js';
import { toPosix } from './source-files.js';

export interface FileDependency {
  from: string;
  to: string;
}

/**
 * Import declarations (tsarch sees no `export … from` and no `import()`) from files matching
 * `fromPattern` to files matching `toPattern`. Patterns are regexes over root-relative paths and
 * must be anchored with ^: an unanchored 'modules/' would also match src/platform/modules/.
 */
export async function tsarchDependencies(codeBase: CodeBase, fromPattern: string, toPattern: string): Promise<FileDependency[]> {
  const violations = await filesOfProject(codeBase.tsconfig)
    .matchingPattern(labelPattern(codeBase, fromPattern))
    .shouldNot()
    .dependOnFiles()
    .matchingPattern(labelPattern(codeBase, toPattern))
    .check();
  return violations.map((violation) => {
    const { sourceLabel, targetLabel } = (violation as { dependency: { sourceLabel: string; targetLabel: string } }).dependency;
    return { from: fromLabel(codeBase, sourceLabel), to: fromLabel(codeBase, targetLabel) };
  });
}

export function describeFileDependency({ from, to }: FileDependency): string {
  return `${from} imports ${to}`;
}

function labelPattern(codeBase: CodeBase, rootRelativePattern: string): string {
  if (!rootRelativePattern.startsWith('^')) throw new Error(`anchor tsarch patterns with ^: ${rootRelativePattern}`);
  const prefix = toPosix(path.relative(path.dirname(codeBase.tsconfig), codeBase.root));
  const escapedPrefix = prefix ? `${prefix}/`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : '';
  return `^${escapedPrefix}${rootRelativePattern.slice(1)}`;
}

function fromLabel(codeBase: CodeBase, label: string): string {
  return toPosix(path.relative(codeBase.root, path.resolve(path.dirname(codeBase.tsconfig), label)));
}
