/**
 * Which test file runs on which engine: the one list of it, read by
 * vitest.config.ts (so nothing here imports vitest's runtime) and by
 * test/helpers/engines.ts. `npm test` runs every file on SQLite (the `sqlite`
 * project) and every end-to-end file again on PostgreSQL (the `postgres`
 * project), but those below that pick their engines themselves or are about
 * the SQLite file.
 */

/**
 * Test files that run on both engines themselves: forEachEngine() (the
 * engine's name in each test's title) or engineSandbox(). A repository
 * file not listed here runs on SQLite only.
 */
export const PG_READY: readonly string[] = [
  'test/unit/pg-adapter.test.ts',
  'test/unit/pg-copy-out.test.ts',
  'test/unit/pg-store.test.ts',
  'test/unit/pg-schema.test.ts',
  'test/unit/customers.test.ts',
  'test/unit/categorise-categories.test.ts',
  'test/unit/categorise-facts.test.ts',
  'test/unit/categorise-run.test.ts',
  'test/unit/categorise-rfm-store.test.ts',
  'test/unit/dedupe-find.test.ts',
  'test/unit/dedupe-merge.test.ts',
  'test/unit/dedupe-auto-fixed-point.test.ts',
  'test/unit/dedupe-business.test.ts',
  'test/unit/dedupe-identifiers.test.ts',
  'test/unit/dedupe-survivorship.test.ts',
  'test/unit/dedupe-typos.test.ts',
  'test/unit/dedupe-mailbox.test.ts',
  'test/unit/export-consent.test.ts',
  'test/unit/export-csv.test.ts',
  'test/unit/export-presets.test.ts',
  'test/unit/export-vcard.test.ts',
  'test/unit/rgpd-access.test.ts',
  'test/unit/rgpd-forget.test.ts',
  'test/unit/rgpd-purge.test.ts',
  'test/unit/rgpd-rights.test.ts',
  'test/unit/rgpd-policy.test.ts',
  'test/unit/rgpd-family.test.ts',
  'test/unit/import-activity.test.ts',
  'test/unit/import-activity-merged.test.ts',
  'test/unit/fields-catalogue.test.ts',
  'test/unit/fields-merge.test.ts',
  'test/unit/filter-sql.test.ts',
  'test/unit/migrate.test.ts',
  'test/unit/upgrade-levels.test.ts',
  'test/unit/department-rule.test.ts',
  'test/unit/rgpd-rejects.test.ts',
  'test/unit/import-customers.test.ts',
  'test/unit/import-shared.test.ts',
  'test/unit/import-fuzz.test.ts',
  'test/unit/lean-import.test.ts',
  'test/e2e/pg-cli.test.ts',
  'test/e2e/copy.test.ts',
  'test/e2e/readme-tour.test.ts',
];

/** End-to-end files about a PostgreSQL server only, which reach it themselves, with the reason. */
export const PG_ONLY_E2E: Readonly<Record<string, string>> = {
  'test/e2e/pg-concurrent-writers.test.ts': 'several carnet processes writing at once: needs a real server (CARNET_TEST_PG_URL), skipped on PGlite',
};

/** End-to-end files that already run each engine themselves: the `postgres` project leaves them out (once is enough). */
export const PER_ENGINE_E2E: readonly string[] = [...PG_READY.filter((f) => f.startsWith('test/e2e/')), ...Object.keys(PG_ONLY_E2E)];

/** Files about the SQLite file itself, with the reason there is nothing to run on a server. */
export const SQLITE_ONLY_E2E: Readonly<Record<string, string>> = {
  'test/e2e/interrupt.test.ts': 'a killed import leaves the SQLite file and its -wal/-journal consistent',
  'test/e2e/disk-full.test.ts': 'the SQLite file on a full file system (a server has its own disk)',
  'test/e2e/foreign-database.test.ts': 'a SQLite file that is not a carnet database, or a newer one',
  'test/e2e/partial-files.test.ts': 'truncated or half-written SQLite files and their companions',
  'test/e2e/read-only.test.ts': 'a SQLite file or folder without write permission',
  'test/e2e/crash-safety.test.ts': 'the SQLite file, its WAL and backups after a crash',
};
