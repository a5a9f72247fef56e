import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'architecture-tests/**/*.test.ts'],
    // Fixture code bases break the architecture rules on purpose; their test files are data.
    exclude: [...configDefaults.exclude, 'architecture-tests/fixtures/**'],
    // One embedded PostgreSQL for the run; each test file gets a database of its own.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
