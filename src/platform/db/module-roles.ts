// Boundaries that hold at the database: each module's queries run as a role of its own that can
// use only its own schema (plus the event log and the job queue the event bus writes to). The login user is made a
// member of every module role, and each module's pool switches to its role at connect time.
import postgres from 'postgres';

const ROLES_LOCK_ID = 7_351_002;

export function moduleRole(schema: string): string {
  return `shop_${schema}`;
}

/** Creates the module roles and grants them their schema; safe to run from several processes. */
export async function ensureModuleRoles(url: string, schemas: readonly string[], sharedSchemas: readonly string[]): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${ROLES_LOCK_ID})`;
    for (const schema of schemas) {
      // A module without tables yet has no schema to grant, but its role must exist: its pool
      // connects as it (and readiness checks that pool).
      const [exists] = await sql`select 1 from pg_namespace where nspname = ${schema}`;
      await grantModuleRole(sql, schema, sharedSchemas, Boolean(exists));
    }
    await sql`select pg_advisory_unlock(${ROLES_LOCK_ID})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function grantModuleRole(sql: postgres.Sql, schema: string, sharedSchemas: readonly string[], schemaExists: boolean): Promise<void> {
  const role = sql(moduleRole(schema));
  await retryConcurrentUpdate(async () => {
    // Roles are shared by every database of the server: another database may create it meanwhile.
    await sql`do $$ begin create role ${role} nologin; exception when duplicate_object then null; end $$`;
    await sql`grant ${role} to current_user`;
  });
  for (const target of schemaExists ? [schema, ...sharedSchemas] : sharedSchemas) {
    const name = sql(target);
    await sql`grant usage on schema ${name} to ${role}`;
    await sql`grant select, insert, update, delete on all tables in schema ${name} to ${role}`;
    await sql`grant usage, select on all sequences in schema ${name} to ${role}`;
    await sql`alter default privileges in schema ${name} grant select, insert, update, delete on tables to ${role}`;
  }
  for (const shared of sharedSchemas) await sql`grant execute on all functions in schema ${sql(shared)} to ${role}`;
}

// Concurrent GRANTs on one role from two databases can fail with "tuple concurrently updated".
async function retryConcurrentUpdate(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 5 || !/concurrently/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
