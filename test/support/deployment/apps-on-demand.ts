// The app as a deployed process would run it, built in-process on a test database: one per
// distinct set of hosted and remote modules (the only settings that change which routes exist),
// to ask it what probes and health checks ask.
import { createTestDatabase } from '../test-database.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { ProbeAnswer } from './deployed-process.js';

const TOPOLOGY_SETTINGS = ['MODULES', 'REMOTE_MODULES'];

export interface AppsOnDemand {
  /** GET `path` of the app run with `env`'s modules. */
  ask(env: Record<string, string>, path: string): Promise<ProbeAnswer>;
  /** The app run with `env`'s modules, listening on a loopback port. */
  listening(env: Record<string, string>): Promise<{ port: number }>;
  close(): Promise<void>;
}

export function appsOnDemand(): AppsOnDemand {
  let databaseUrl: Promise<string> | null = null;
  const apps = new Map<string, Promise<TestApp>>();
  const appFor = (env: Record<string, string>) => {
    const settings = Object.fromEntries(TOPOLOGY_SETTINGS.filter((name) => env[name] !== undefined).map((name) => [name, env[name]!]));
    const key = JSON.stringify(settings);
    if (!apps.has(key)) {
      databaseUrl ??= createTestDatabase();
      apps.set(key, databaseUrl.then((url) => startTestApp({ databaseUrl: url, env: settings })));
    }
    return apps.get(key)!;
  };
  return {
    async ask(env, path) {
      const response = await (await appFor(env)).server.inject({ method: 'GET', url: path });
      let body: unknown = response.body;
      try {
        body = response.json();
      } catch {
        // not JSON: the text is the body
      }
      return { status: response.statusCode, body };
    },
    async listening(env) {
      const { server } = await appFor(env);
      if (!server.server.listening) await server.listen({ port: 0, host: '127.0.0.1' });
      const address = server.server.address();
      return { port: typeof address === 'object' && address !== null ? address.port : 0 };
    },
    async close() {
      await Promise.all([...apps.values()].map(async (app) => (await app).close()));
    },
  };
}
