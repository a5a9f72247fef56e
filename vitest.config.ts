import { configDefaults, defineConfig } from 'vitest/config';

// With TEST_POSTGRES_SERVER_URL set (CI sets it), the end-to-end and database-role tests run a
// second time against that PostgreSQL server, as users deploy one.
const onServer = process.env.TEST_POSTGRES_SERVER_URL
  ? [{ extends: true, test: { name: 'postgres-server', include: ['test/e2e/**/*.test.ts', 'test/module-database-roles.test.ts'], globalSetup: ['test/postgres-server-setup.ts'] } }]
  : [];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'architecture-tests/**/*.test.ts'],
          // Fixture code bases break the architecture rules on purpose; their test files are data.
          exclude: [...configDefaults.exclude, 'architecture-tests/fixtures/**'],
          // One embedded PostgreSQL for the run; each test file gets a database of its own.
          globalSetup: ['test/global-setup.ts'],
        },
      },
      ...onServer,
    ],
  },
});
