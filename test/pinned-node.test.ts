// The npm scripts run on the project's own Node 24 (the `node` development dependency, which npm
// puts first on PATH), whatever Node installed the project; production never depends on it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const manifest = JSON.parse(read('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const pinned = (JSON.parse(read('node_modules/node/package.json')) as { version: string }).version;

describe('the pinned Node runtime', () => {
  it.runIf(process.env.npm_lifecycle_event === 'test')('runs npm test on the installed node package', () => {
    expect(process.version).toBe(`v${pinned}`);
    expect(pinned.split('.')[0]).toBe('24');
  });

  it('is a development dependency only, with its install script approved', () => {
    expect(manifest.devDependencies.node).toMatch(/^\^24\./);
    expect(manifest.dependencies.node).toBeUndefined();
    expect(manifest.optionalDependencies?.node).toBeUndefined();
    expect(manifest.allowScripts.node).toBe(true);
  });

  it('stays out of the production image, which runs on the image’s own Node', () => {
    const dockerfile = read('docker/Dockerfile');
    const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(runtimeStage).toMatch(/^FROM node:24/);
    expect(runtimeStage).toContain('CMD ["node", "dist/main.js"]');
  });
});
