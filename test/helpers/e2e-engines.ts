/**
 * Which end-to-end files the `postgres` vitest project leaves out, and why.
 * Every other file under test/e2e runs twice in `npm test`: on SQLite and on
 * PostgreSQL (vitest.config.ts).
 */

/** Files that already run each engine themselves (forEachEngine / engineSandbox): once is enough. */
export const PER_ENGINE_E2E: readonly string[] = [
  'test/e2e/pg-cli.test.ts',
  'test/e2e/copy.test.ts',
  'test/e2e/readme-tour.test.ts',
  'test/e2e/pg-concurrent-writers.test.ts',
];

/** Files about the SQLite file itself, with the reason there is nothing to run on a server. */
export const SQLITE_ONLY_E2E: Readonly<Record<string, string>> = {
  'test/e2e/interrupt.test.ts': 'a killed import leaves the SQLite file and its -wal/-journal consistent',
  'test/e2e/disk-full.test.ts': 'the SQLite file on a full file system (a server has its own disk)',
  'test/e2e/foreign-database.test.ts': 'a SQLite file that is not a carnet database, or a newer one',
  'test/e2e/partial-files.test.ts': 'truncated or half-written SQLite files and their companions',
  'test/e2e/read-only.test.ts': 'a SQLite file or folder without write permission',
  'test/e2e/crash-safety.test.ts': 'the SQLite file, its WAL and backups after a crash',
};
