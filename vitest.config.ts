import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A PGlite server per worker, started on first use (test/helpers/engines.ts); stopped at the end.
    globalSetup: ['test/helpers/pg-global.ts'],
  },
});
