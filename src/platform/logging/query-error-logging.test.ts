// What a failed query and a credential in a query string leave in the logs, on the real app: the
// Postgres error code and the statement, never the SQL text or the values bound to it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleDefinition } from '../modules/module-definition.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';

const PERSONAL = { name: 'Jane Personal-Doe', street: '17 Privacy Lane', email: 'jane.private@example.com' };

// A fixture module whose route runs a query that fails on personal data, as a bug in a module would.
const leakyModule: ModuleDefinition = {
  name: 'leaky',
  schema: 'leaky',
  routePrefixes: ['/leaky'],
  publishes: [],
  needs: [],
  create: ({ db }) => ({
    routes: async (server) => {
      server.post('/leaky/query', async () => {
        await db.execute(sql`select ${PERSONAL.name}::text as name, ${PERSONAL.street}::text as street, ${PERSONAL.email}::uuid as id`);
        return {};
      });
    },
  }),
};

describe('logs of failed queries and query strings', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ captureLogs: true, definitions: [leakyModule], hostedModules: ['leaky'] });
  });
  afterAll(() => app.close());

  const linesOf = (requestId: string) => app.logs.filter((line) => JSON.parse(line).reqId === requestId);

  it('logs a failed query with its error code and statement, without its SQL text or bound values', async () => {
    const response = await app.server.inject({ method: 'POST', url: '/leaky/query', headers: { 'x-request-id': 'log-query-1' } });
    expect(response.statusCode).toBe(500);
    const lines = linesOf('log-query-1');
    const failure = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request failed');
    expect(failure).toBeDefined();
    expect(failure.err.code).toMatch(/^22[0-9A-Z]{3}$/); // a data exception: the text is no uuid
    expect(failure.err.statement).toBe('select');

    const text = lines.join('\n');
    for (const value of Object.values(PERSONAL)) expect(text).not.toContain(value);
    expect(text).not.toMatch(/::uuid|as street|\$3/);
    expect(response.body).not.toMatch(/select|Personal|private/);
  });

  it('does not log the value of a token passed in a query string', async () => {
    const response = await app.server.inject({ url: '/leaky/nowhere?access_token=abc.def.ghi&view=full', headers: { 'x-request-id': 'log-query-2' } });
    expect(response.statusCode).toBe(404);
    const lines = linesOf('log-query-2');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('abc.def.ghi');
    expect(lines.join('\n')).toContain('access_token=[redacted]&view=full');
  });
});
