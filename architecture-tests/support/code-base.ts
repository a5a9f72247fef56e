// A code base the rules run on: the real project, or a fixture tree built to break one rule.
// Both have the same shape (a `src/` folder, maybe a `test/` one, next to a tsconfig tsarch can
// read that covers them), so every rule is one function that the tests call twice: once to pass
// on the project, once to fail on its fixture.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CodeBase {
  /** Absolute folder that holds `src/` (and `test/`, if any). */
  root: string;
  /** Absolute path of the tsconfig tsarch reads for this code base. */
  tsconfig: string;
}

const architectureTests = fileURLToPath(new URL('..', import.meta.url));

export const project: CodeBase = {
  root: path.resolve(architectureTests, '..'),
  tsconfig: path.join(architectureTests, 'tsconfig.json'),
};

export function fixture(rule: string): CodeBase {
  const root = path.join(architectureTests, 'fixtures', rule);
  if (!existsSync(path.join(root, 'src'))) throw new Error(`no fixture tree at ${root}/src`);
  return { root, tsconfig: path.join(root, 'tsconfig.json') };
}

/** The module folders under src/modules, e.g. ['orders', 'users']. */
export function moduleNames(codeBase: CodeBase): string[] {
  const modules = path.join(codeBase.root, 'src', 'modules');
  if (!existsSync(modules)) return [];
  return readdirSync(modules, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
