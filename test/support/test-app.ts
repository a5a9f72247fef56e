// Builds the real app (real Postgres, real pg-boss, real Fastify) for a test, with test-friendly
// settings: silent or captured logs, fast polling and retries.
import { Writable } from 'node:stream';
import { buildApp, type App, type BuildAppOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import { createTestDatabase } from './test-database.js';

// Random-looking, as production requires (child processes of the e2e tests run in production mode).
export const TEST_SECRETS = {
  jwtSecret: 'ux2vS-EKLX57BFcPh00fIEBoTe3ofMUWJEsUgvhbbdJSlTW8',
  serviceTokenSecret: 'XkC3gunl-bxx4sKl8wsUQhuA8mbf0uGRDAG_TIt9EdiBW__4',
};

export interface TestAppOptions {
  env?: Record<string, string>;
  databaseUrl?: string;
  definitions?: BuildAppOptions['definitions'];
  contracts?: BuildAppOptions['contracts'];
  /** Modules to host, fixture modules included (defaults to MODULES). */
  hostedModules?: BuildAppOptions['hostedModules'];
  /** Collect log lines (as text) instead of discarding them. */
  captureLogs?: boolean;
}

export interface TestApp extends App {
  databaseUrl: string;
  logs: string[];
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: options.captureLogs ? 'trace' : 'silent',
    EVENTS_POLLING_INTERVAL_SECONDS: '0.5',
    EVENTS_RETRY_DELAY_SECONDS: '1',
    EVENTS_RETRY_DELAY_MAX_SECONDS: '2',
    EVENTS_SUPERVISE_INTERVAL_SECONDS: '1',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Test files register dozens of accounts from one address; the registration limit's own tests
    // set it.
    REGISTRATION_RATE_LIMIT_MAX: '0',
    ...options.env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: config.logLevel, pretty: false, destination });
  const app = await buildApp({
    config,
    databaseUrl,
    logger,
    secrets: TEST_SECRETS,
    ...(options.definitions ? { definitions: options.definitions } : {}),
    ...(options.contracts ? { contracts: options.contracts } : {}),
    ...(options.hostedModules ? { hostedModules: options.hostedModules } : {}),
  });
  return Object.assign(app, { databaseUrl, logs });
}
