// The single-file build as production runs it: `npm run build` bundles the app into dist/main.js,
// and plain `node dist/main.js` in production mode must migrate a new database on its own (it finds
// migrations/ next to dist/) and serve the API, both documents and the Swagger UI's files (a
// package the bundle leaves in node_modules), and export its spans (the tracing SDK, loaded only
// when tracing is on, is in the bundle too).
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureDatabase } from '../src/platform/db/ensure-database.js';
import { startOtlpCollector, type OtlpCollector } from './support/otlp-collector.js';
import { waitFor } from './support/wait-for.js';
import { PROJECT_ROOT, runJavaScript, type Child } from './support/child-process.js';
import { freePort } from './support/free-port.js';
import { SAFE_PRODUCTION_ENV } from './support/production-env.js';

describe('the production build', () => {
  let app: Child | undefined;
  let collector: OtlpCollector | undefined;
  afterAll(async () => {
    app?.kill();
    await collector?.close();
  });

  it('builds one bundle that starts with plain node against DATABASE_URL and serves', async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: PROJECT_ROOT, timeout: 240_000 });
    const port = await freePort();
    const databaseUrl = await ensureDatabase(inject('postgresServerUrl'), `build_${randomBytes(6).toString('hex')}`);
    collector = await startOtlpCollector();
    app = runJavaScript('dist/main.js', [], {
      ...SAFE_PRODUCTION_ENV,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      SHUTDOWN_DRAIN_MS: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await app.waitForOutput(/shop listening on/, 60_000);

    for (const path of ['/health/ready', '/docs/json', '/docs/asyncapi.json', '/docs/static/swagger-ui.css', '/api/v1/products']) {
      expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
    }
    const traceId = randomBytes(16).toString('hex');
    await fetch(`http://127.0.0.1:${port}/api/v1/products`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
    await waitFor(async () => collector!.spans(traceId).some((span) => span.name === 'GET /api/v1/products'), { what: 'the span of the request' });
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  }, 300_000);
});
