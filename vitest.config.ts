import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: a loaded 2-core machine made 60 s too short for the crash and round-trip e2e tests
    // (no timing is asserted; a timeout only catches a hang).
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // A PGlite server per worker, started on first use (test/helpers/engines.ts); stopped at the end.
    globalSetup: ['test/helpers/pg-global.ts'],
  },
});
