// Replicas may start at the same moment against one empty database: migrations, pg-boss's schema,
// module roles, queues and the admin account must all come out right, once.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureDatabase } from '../src/platform/db/ensure-database.js';
import { query } from './support/test-database.js';
import { startMonolith, type Topology } from './support/topology.js';

// Each migration is applied once: as many rows as the journal has entries, not one per replica.
const migrationCount = (JSON.parse(readFileSync(new URL('../migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] }).entries.length;

describe('concurrent start-up', () => {
  const topologies: Topology[] = [];
  afterAll(() => Promise.all(topologies.map((topology) => topology.stop())));

  it('brings three replicas up together on a fresh database, migrating it once', async () => {
    const url = await ensureDatabase(inject('postgresServerUrl'), `fresh_${randomBytes(6).toString('hex')}`);
    const env = { ADMIN_EMAIL: 'replica-admin@example.com', ADMIN_PASSWORD: 'replica-admin-password' };
    topologies.push(...(await Promise.all([startMonolith(url, env), startMonolith(url, env), startMonolith(url, env)])));

    for (const topology of topologies) expect((await fetch(`${topology.baseUrl}/health/ready`)).status).toBe(200);
    expect(await query(url, 'select count(*)::int as n from drizzle.__drizzle_migrations')).toEqual([{ n: migrationCount }]);
    expect(await query(url, `select count(*)::int as n from users.users where email = 'replica-admin@example.com'`)).toEqual([{ n: 1 }]);
  });
});
