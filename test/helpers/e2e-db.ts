import { openDatabase, type Db } from '../../src/db/open.js';
import { isPgUrl } from '../../src/db/pg/connect.js';
import { engineOf } from '../../src/db/port.js';

/**
 * A sandbox's database opened directly, on either engine, through the
 * project's own port (src/db): the SQLite file, or the sandbox's schema on
 * the PostgreSQL server. No migration: the test looks at what carnet wrote.
 * The SQL a test runs through it must be valid on both engines.
 * `readonly` is for SQLite only: PGlite serves every connection from one
 * backend, so a session's `default_transaction_read_only` would outlive it
 * and make the next carnet fail.
 */
export function openSandboxDb(db: string, opts: { readonly?: boolean } = {}): Db {
  return openDatabase(db, { migrate: false, readonly: isPgUrl(db) ? false : (opts.readonly ?? false) });
}

/** Runs fn over the sandbox's database and closes it, whatever fn does. */
export function withSandboxDb<T>(db: string, fn: (db: Db) => T, opts: { readonly?: boolean } = {}): T {
  const handle = openSandboxDb(db, opts);
  try {
    return fn(handle);
  } finally {
    handle.close();
  }
}

/**
 * The database's schema as rows to compare before and after (a killed
 * import must leave it as it was): sqlite_master on SQLite; on PostgreSQL
 * the columns, indexes and triggers of carnet's schema from the catalogs.
 */
export function schemaOf(url: string): unknown[] {
  return withSandboxDb(
    url,
    (db) =>
      engineOf(db) === 'sqlite'
        ? db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name, sql').all()
        : db
            .prepare(
              `SELECT 'column' AS type, (table_name || '.' || column_name)::text AS name, (data_type || ' ' || is_nullable || ' ' || coalesce(column_default, ''))::text AS sql
                 FROM information_schema.columns WHERE table_schema = current_schema()
               UNION ALL SELECT 'index', indexname::text, indexdef::text FROM pg_indexes WHERE schemaname = current_schema()
               UNION ALL SELECT 'trigger', t.tgname::text, pg_get_triggerdef(t.oid)::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                 WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
               ORDER BY 1, 2, 3`,
            )
            .all(),
    { readonly: true },
  );
}

/**
 * SQLite's integrity_check of the file. On PostgreSQL there is no client-side
 * counterpart: the server's own write-ahead log keeps its files whole, and
 * what a test can check there (the rows, the schema) it checks itself.
 */
export function integrityOk(url: string): boolean {
  return withSandboxDb(url, (db) => (engineOf(db) === 'sqlite' ? db.pragma('integrity_check', { simple: true }) === 'ok' : true), { readonly: true });
}
