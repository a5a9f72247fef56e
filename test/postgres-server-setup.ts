// The tests of the `postgres-server` project run against the PostgreSQL server of
// TEST_POSTGRES_SERVER_URL (CI installs Debian's), as a role that is no superuser: it may create
// databases (one per test file) and roles (the modules' own), as the README asks of an app user.
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject) {
  const url = process.env.TEST_POSTGRES_SERVER_URL!;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [role] = await sql<{ rolsuper: boolean }[]>`select rolsuper from pg_roles where rolname = current_user`;
  await sql.end();
  if (role?.rolsuper) throw new Error('TEST_POSTGRES_SERVER_URL must name a role that is not a superuser: the tests prove the app needs no more');
  project.provide('postgresServerUrl', url);
}
