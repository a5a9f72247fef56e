// Process entry: read the configuration, start the database (embedded unless DATABASE_URL is set),
// build the app, listen, and close everything gracefully on SIGINT/SIGTERM.
import { buildApp, type App } from './app.js';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { ensureDatabase } from './platform/db/ensure-database.js';
import { EmbeddedPostgresError, startEmbeddedPostgres, type RunningPostgres } from './platform/db/embedded-postgres.js';
import { runMigrations } from './platform/db/migrate.js';
import { createLogger, type Logger } from './platform/logging/logger.js';
import { startTracing, type Tracing } from './platform/observability/tracing.js';
import { loadLocalSecrets } from './platform/secrets.js';

let embedded: RunningPostgres | null = null;

async function main(): Promise<void> {
  const startedAt = performance.now();
  assertNodeVersion();
  const config = loadConfig();
  // Before anything serves or publishes, so every request and event is in a trace.
  const tracing = await startTracing(config.tracing, config.modules);
  const logger = createLogger({ level: config.logLevel, pretty: Boolean(process.stdout.isTTY) && config.env !== 'production' });
  // Generated secrets are kept in DATA_DIR, and only read or made for what was not given: a
  // production process given its secrets and a database writes nothing to its file system.
  const given = config.jwtSecret !== null && config.serviceTokenSecret !== null && config.databaseUrl !== null;
  const local = given ? null : await loadLocalSecrets(config.dataDir);
  const secrets = {
    jwtSecret: config.jwtSecret ?? local!.jwtSecret,
    serviceTokenSecret: config.serviceTokenSecret ?? local!.serviceTokenSecret,
  };

  let databaseUrl = config.databaseUrl;
  if (databaseUrl === null) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, password: local!.postgresPassword });
    databaseUrl = await ensureDatabase(embedded.url, 'shop');
    logger.info({ dataDir: config.dataDir, port: embedded.port }, 'embedded PostgreSQL started');
  }
  await runMigrations(databaseUrl);
  const app = await buildApp({ config, databaseUrl, logger, secrets });
  await listen(app, config);
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  logger.info(
    {
      url: base,
      docs: `${base}/docs`,
      node: process.version,
      modules: app.hosted,
      database: config.databaseUrl ? 'external (DATABASE_URL)' : `embedded, data in ${config.dataDir}`,
      startupMs: Math.round(performance.now() - startedAt),
    },
    `shop listening on ${base} (API docs at ${base}/docs)`,
  );
  closeOnSignals(app, tracing, config, logger);
}

// The npm scripts run on the Node 24 the project installs (the `node` development dependency);
// this guards anyone who runs the code another way, e.g. `node dist/main.js` on an old machine.
function assertNodeVersion(): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    throw new ConfigError(`Node.js 22.12 or newer is required (this is ${process.version}); run it through npm (npm start), which uses the project's own Node 24`);
  }
}

async function listen(app: App, config: AppConfig): Promise<void> {
  try {
    await app.server.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(`PORT ${config.port} is already in use on ${config.host}; set PORT to a free port`);
    }
    throw error;
  }
}

function closeOnSignals(app: App, tracing: Tracing, config: AppConfig, logger: Logger): void {
  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    // Readiness first, so a load balancer stops sending; requests are served meanwhile.
    app.drain();
    logger.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down: readiness is 503; finishing in-flight requests and event handlers');
    // pg-boss drops the error listener of its LISTEN connection before closing it, so the server's
    // own shutdown notice (57P01) can surface as an uncaught error; while stopping it is expected.
    process.on('uncaughtException', (error: Error & { code?: string }) => {
      if (error.code === '57P01') return;
      logger.fatal({ err: error }, 'uncaught error during shutdown');
      process.exit(1);
    });
    // Bounded: whatever still hangs after the grace period is cut off.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownDrainMs + config.shutdownTimeoutMs + 5000).unref();
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
    await app.close();
    await embedded?.stop();
    // The spans of the last requests and events, exported (the exporter's own timeout bounds it).
    await tracing.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'spans could not be exported at shutdown'));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  await embedded?.stop().catch(() => {});
  process.exit(1);
});
