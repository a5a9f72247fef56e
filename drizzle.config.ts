import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'drizzle-kit';

// Each module's tables live in its own Postgres schema (named after its folder, `-` read as `_`),
// the platform's in `platform`, and the event log in `events`. `schemaFilter` lists them so generated migrations create the
// schemas; it is read from the folders, so a new module needs no edit here (a test checks it
// against the module registry).
const moduleSchemas = readdirSync('src/modules', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`src/modules/${entry.name}/db/schema.ts`))
  .map((entry) => entry.name.replaceAll('-', '_'));

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/modules/*/db/schema.ts', './src/platform/db/platform-schema.ts', './src/platform/events/event-log-schema.ts'],
  out: './migrations',
  schemaFilter: [...moduleSchemas, 'platform', 'events'],
  casing: 'snake_case',
});
