// `npm run new:module -- <name>` in a copy of this repository: a bad name is refused with one line
// and changes nothing; a good one gives a module that typechecks, passes its own tests and the
// architecture tests, is hosted by default, named by MODULES and REMOTE_MODULES, and agrees with
// the registry and the documented configuration. (Its own tests check the routes, the event, the
// subscription and both documents on the real platform.)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MODULES } from '../src/module-registry.js';
import { PROJECT_ROOT } from './support/child-process.js';

const MINUTES = 60_000;
let copy: string;

// The parent run's own variables would make the inner vitest think it is a worker of this one.
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV'));

function run(command: string, args: string[], timeoutMs = 5 * MINUTES) {
  const result = spawnSync(command, args, { cwd: copy, env: childEnv, encoding: 'utf8', timeout: timeoutMs });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}
const bin = (name: string) => path.join(copy, 'node_modules', '.bin', name);
const newModule = (...args: string[]) => run(bin('tsx'), ['tools/new-module.ts', ...args]);

/** A fingerprint of every file of the copy (node_modules aside): equal before and after means nothing changed. */
function treeFingerprint(): string {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: copy, encoding: 'utf8' }).split('\n').filter((file) => file !== '' && file !== 'node_modules').sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(path.join(copy, file)));
  return hash.digest('hex');
}

describe('npm run new:module', () => {
  beforeAll(() => {
    copy = mkdtempSync(path.join(tmpdir(), 'shop-new-module-'));
    // The files git would clone, as they are in this working tree, in a repository of their own.
    execFileSync('sh', ['-c', `git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C '${copy}'`], { cwd: PROJECT_ROOT });
    execFileSync('git', ['init', '-q'], { cwd: copy });
    symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('refuses a bad name with one line and changes nothing', () => {
    const before = treeFingerprint();
    for (const [name, reason] of [
      ['GiftCards', /is not a kebab-case name/],
      ['gift_cards', /is not a kebab-case name/],
      ['-gift', /is not a kebab-case name/],
      ['orders', /a module "orders" exists already/],
      ['platform', /"platform" is reserved/],
      ['class', /"class" is reserved/],
      ['x'.repeat(41), /is longer than 40 characters/],
    ] as const) {
      const { status, stdout, stderr } = newModule(name);
      expect(status, name).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), name).toEqual([expect.stringMatching(reason)]);
    }
    expect(newModule().stderr.trim()).toBe('usage: npm run new:module -- <kebab-case-name>');
    expect(treeFingerprint()).toBe(before);
  });

  it(
    'adds a module that typechecks, passes its tests and the architecture tests, and is hosted and configurable by name',
    () => {
      const scaffold = newModule('gift-cards');
      expect(scaffold.status, scaffold.output).toBe(0);
      expect(scaffold.stdout).toMatch(/migration migrations\/\d{4}_gift_cards\.sql/);

      const typecheck = run(bin('tsc'), ['--noEmit', '-p', '.']);
      expect(typecheck.status, typecheck.output).toBe(0);

      // The module's own tests, and every test that reads the registry to cover each module: the
      // architecture rules, both documents of the app as it hosts by default, hostile input (at a
      // smaller size) with the new tables in its snapshot, the configuration's documentation.
      const tests = run(
        'env',
        [
          'HOSTILE_REQUESTS=1000',
          bin('vitest'),
          'run',
          'src/modules/gift-cards',
          'architecture-tests',
          'test/module-registry.test.ts',
          'test/configuration-docs.test.ts',
          'test/openapi-document.test.ts',
          'test/asyncapi-document.test.ts',
          'test/hostile-input.test.ts',
        ],
        8 * MINUTES,
      );
      expect(tests.status, tests.output.slice(-4000)).toBe(0);
      expect(tests.stdout).toMatch(/src\/modules\/gift-cards\/http\/items\.test\.ts/);

      const config = run(bin('tsx'), [
        '-e',
        `import { loadConfig } from './src/config.ts';
         import { splitLayout } from './tools/split-layout.ts';
         const byDefault = loadConfig({}).modules;
         const named = loadConfig({ MODULES: 'users,gift-cards' }).modules;
         const remote = Object.keys(loadConfig({ MODULES: 'users', REMOTE_MODULES: 'gift-cards=http://127.0.0.1:3999' }).remoteModules);
         const split = Object.fromEntries(splitLayout(3000).map(({ name, env }) => [name, loadConfig(env)]));
         const gateway = split.gateway.modules;
         const forwardedByOrders = Object.keys(split.orders.remoteModules);
         console.log(JSON.stringify({ byDefault, named, remote, gateway, forwardedByOrders }));`,
      ]);
      expect(config.status, config.output).toBe(0);
      expect(JSON.parse(config.stdout)).toEqual({
        // Whatever modules this repository has, the new one comes last.
        byDefault: [...ALL_MODULES.map(({ name }) => name), 'gift-cards'],
        named: ['users', 'gift-cards'],
        remote: ['gift-cards'],
        // `npm run start:split` serves it on the gateway, and the orders process forwards to it.
        gateway: expect.arrayContaining(['gift-cards']),
        forwardedByOrders: expect.arrayContaining(['gift-cards']),
      });
    },
    10 * MINUTES,
  );
});
