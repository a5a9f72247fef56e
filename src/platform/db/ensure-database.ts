// Creates the application database on a fresh server (the embedded one starts with only `postgres`).
import postgres from 'postgres';

/** Returns the connection string of database `name` on the server behind `serverUrl`. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [existing] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!existing) await sql`create database ${sql(name)}`.catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // created meanwhile by a concurrent start
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
