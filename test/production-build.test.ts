// The single-file build as production runs it: `npm run build` bundles the app into dist/main.js,
// and plain `node dist/main.js` in production mode must migrate a new database on its own (it finds
// migrations/ next to dist/) and serve the API, both documents and the Swagger UI's files (a
// package the bundle leaves in node_modules).
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureDatabase } from '../src/platform/db/ensure-database.js';
import { PROJECT_ROOT, runJavaScript, type Child } from './support/child-process.js';
import { freePort } from './support/free-port.js';
import { SAFE_PRODUCTION_ENV } from './support/production-env.js';

describe('the production build', () => {
  let app: Child | undefined;
  afterAll(() => app?.kill());

  it('builds one bundle that starts with plain node against DATABASE_URL and serves', async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: PROJECT_ROOT, timeout: 240_000 });
    const port = await freePort();
    const databaseUrl = await ensureDatabase(inject('postgresServerUrl'), `build_${randomBytes(6).toString('hex')}`);
    app = runJavaScript('dist/main.js', [], { ...SAFE_PRODUCTION_ENV, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port), SHUTDOWN_DRAIN_MS: '0' });
    await app.waitForOutput(/shop listening on/, 60_000);

    for (const path of ['/health/ready', '/docs/json', '/docs/asyncapi.json', '/docs/static/swagger-ui.css', '/api/v1/products']) {
      expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
    }
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  }, 300_000);
});
