// The OpenAPI document clients are generated from: the one /docs/json serves for the default app
// (every module of the registry hosted), asked of a real app built in this process (inject: nothing
// listens on a port). Building it needs a migrated database, because the app opens its pools and
// event bus on the way. The settings are fixed here, not read from the environment, so the document
// does not depend on who produces it (a MODULES or REMOTE_MODULES in a shell would change it).
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logging/logger.js';

/** The document's JSON text, as it is committed: two-space indented, with a final newline. */
export async function openApiDocumentText(databaseUrl: string): Promise<string> {
  return `${JSON.stringify(await openApiDocument(databaseUrl), null, 2)}\n`;
}

export async function openApiDocument(databaseUrl: string): Promise<Record<string, unknown>> {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const app = await buildApp({
    config,
    databaseUrl,
    logger: createLogger({ level: 'silent', pretty: false }),
    // Secrets sign tokens; the document never shows them.
    secrets: { jwtSecret: 'document-only-'.padEnd(48, 'x'), serviceTokenSecret: 'document-only-'.padEnd(48, 'y') },
  });
  try {
    // Asked for as a client asks, so it is the served document, whatever the route adds to it.
    const response = await app.server.inject({ url: '/docs/json' });
    if (response.statusCode !== 200) throw new Error(`GET /docs/json answered ${response.statusCode}: ${response.body}`);
    return response.json<Record<string, unknown>>();
  } finally {
    await app.close();
  }
}
