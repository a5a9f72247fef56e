// The code that may import a module's definition (its index.ts): the composition root, which
// hosts the modules, and the test harness, which starts them in tests. Everyone else, other
// modules included, reads a module only through its published language (api.ts).
// Kept as regex sources over root-relative paths so tsarch patterns and the predicates agree.

/** src/app.ts with its parts in src/app/, main.ts above it and the module registry below it: the composition root, which platform code must not know. */
export const COMPOSITION_ROOT = String.raw`src/(?:(?:app|main|module-registry)\.ts$|app/)`;

/** Everything under test/, and test files or test support next to the code they test. */
export const TEST_HARNESS = String.raw`(?:test/|.*\.test(?:-support)?\.ts$)`;

export function isCompositionRoot(file: string): boolean {
  return new RegExp(`^${COMPOSITION_ROOT}`).test(file);
}

export function isTestHarness(file: string): boolean {
  return new RegExp(`^${TEST_HARNESS}`).test(file);
}
