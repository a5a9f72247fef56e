import { defineConfig } from 'drizzle-kit';

// Each module's tables live in its own Postgres schema; `schemaFilter` lists them so generated
// migrations create the schemas.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/modules/*/db/schema.ts',
  out: './migrations',
  schemaFilter: ['users', 'products', 'orders', 'payments'],
  casing: 'snake_case',
});
