import { defineConfig } from 'drizzle-kit';

// Each module's tables live in its own Postgres schema, and the platform's in `platform`;
// `schemaFilter` lists them so generated migrations create the schemas.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/modules/*/db/schema.ts', './src/platform/db/platform-schema.ts'],
  out: './migrations',
  schemaFilter: ['users', 'products', 'orders', 'payments', 'platform'],
  casing: 'snake_case',
});
