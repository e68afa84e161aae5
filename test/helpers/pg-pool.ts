import { inject } from 'vitest';
import type { PgDb } from '../../src/db/pg/db.js';
import type { Db } from '../../src/db/port.js';
import { Store } from '../../src/db/store.js';
import { pgServerUrlSync, schemaUrl, WORKER } from './engines.js';

/**
 * Schemas for the repository tests on PostgreSQL, reused: making one with
 * every migration costs ~0.35 s on PGlite, emptying one ~20 times less. A
 * schema comes back emptied (TRUNCATE … RESTART IDENTITY, its levels kept)
 * when its tables, columns, indexes, triggers and functions are still those
 * of a fresh one; one a test changed (ALTER TABLE) is dropped, never reused.
 *
 * Names carry the vitest run and the worker process (WORKER, engines.ts):
 * two workers never take each other's schemas, even on a shared server
 * (VITEST_POOL_ID is not unique among live workers), and two runs sharing
 * CARNET_TEST_PG_URL's database never meet. Schemas of this prefix already
 * there belong to a dead worker whose pid came round again: free to reuse.
 */
const PREFIX = `p${inject('vitestPid')}_${WORKER}_`;
const TEMPLATE = `${PREFIX}template`;

/** Everything a test's DDL could change, as one digest. */
const SHAPE = `
  SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (
    SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || a.attgenerated::text || a.attnotnull::text AS x
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
     WHERE n.nspname = ? AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'trigger ' || c.relname || '.' || t.tgname
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ? AND NOT t.tgisinternal
    UNION ALL
    SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?
  ) shape`;

let admin: Store | null = null;
let pristine = '';
let last = 0;
/** Schemas free for the next test, with the connection of the store that used them when it is still open (a connection costs ~0.15 s CPU). */
const free: { schema: string; db: Db | null }[] = [];

function shapeOf(db: Db, schema: string): string {
  return db.prepare(SHAPE).pluck().get(schema, schema, schema) as string;
}

/** The slot's template schema (made once per run and slot), whose connection drops the schemas a test changed. */
function adminStore(): Store {
  if (admin !== null) return admin;
  const store = Store.open(schemaUrl(pgServerUrlSync(), TEMPLATE));
  pristine = shapeOf(store.db, TEMPLATE);
  const left = store.db.prepare('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ?) AND nspname <> ?').pluck().all(PREFIX, TEMPLATE) as string[];
  for (const schema of left) {
    free.push({ schema, db: null });
    last = Math.max(last, Number(schema.slice(PREFIX.length)) || 0);
  }
  admin = store;
  return store;
}

/** Empties schema through db (its search_path) when its shape is a fresh one's; false when a test changed it. */
function emptied(db: Db, schema: string): boolean {
  if (db.inTransaction) db.exec('ROLLBACK');
  // A connection given back: the last test's cursors and temporary tables go too. On PGlite every
  // connection shares one session, so the search_path is the last opened store's: make it this schema's again.
  db.exec(`CLOSE ALL; DISCARD TEMP; SET search_path TO "${schema}"`);
  if (shapeOf(db, schema) !== pristine) return false;
  const tables = db
    .prepare(`SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') FROM pg_tables WHERE schemaname = ? AND tablename <> 'schema_migrations'`)
    .pluck()
    .get(schema) as string;
  db.exec(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
  return true;
}

/** A store over an empty, fully migrated carnet schema; release() gives it back (open or closed). */
export function pooledPgStore(): { store: Store; release: () => void } {
  const adminDb = adminStore().db;
  let store: Store | null = null;
  for (let entry = free.pop(); entry !== undefined && store === null; entry = free.pop()) {
    const url = schemaUrl(pgServerUrlSync(), entry.schema);
    const db = entry.db?.open ? entry.db : Store.open(url, { migrate: false }).db;
    if (emptied(db, entry.schema)) store = new Store(db, url);
    else {
      db.close();
      adminDb.exec(`DROP SCHEMA "${entry.schema}" CASCADE`);
    }
  }
  // None to reuse: Store.open makes and migrates a new one.
  store ??= Store.open(schemaUrl(pgServerUrlSync(), `${PREFIX}${++last}`));
  const schema = (store.db as PgDb).schema;
  const held = store;
  return { store, release: () => void free.push({ schema, db: held.db.open ? held.db : null }) };
}
