import { defineConfig } from 'vitest/config';
import { PER_ENGINE_E2E, SQLITE_ONLY_E2E } from './test/helpers/e2e-engines.js';

export default defineConfig({
  test: {
    // Generous: a loaded 2-core machine made 60 s too short for the crash and round-trip e2e tests
    // (no timing is asserted; a timeout only catches a hang).
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // A PGlite server per worker, started on first use (test/helpers/engines.ts); stopped at the end.
    globalSetup: ['test/helpers/pg-global.ts'],
    projects: [
      // Every test file, each sandbox a SQLite file (the files written per engine run both engines here).
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      {
        // Every end-to-end file again, each sandbox's database a fresh schema on PostgreSQL:
        // PGlite, or the server named by CARNET_TEST_PG_URL (test/helpers/cli.ts reads the engine).
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...PER_ENGINE_E2E, ...Object.keys(SQLITE_ONLY_E2E)],
          env: { CARNET_TEST_E2E_ENGINE: 'postgres' },
          setupFiles: ['test/helpers/e2e-pg-setup.ts'],
          // Each worker starts a PGlite of ~460 MB: two at a time is what a 2-core machine runs well.
          maxWorkers: 2,
          // vitest runs projects with different worker limits as separate groups, one after the other.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
