import { AppError, ExitCode } from '../../core/errors.js';
import { ensureTable, migrate } from '../migrate.js';
import { BUSY_TIMEOUT_MS, type Db, type OpenOptions } from '../port.js';
import { pgTarget, type PgTarget } from './connect.js';
import { PgDb } from './db.js';
import { pgAsAppError } from './errors.js';
import { SyncConnection } from './sync.js';

/** `building` is SQLite's alone (a new file under its temporary name). */
export type PgOpenOptions = Omit<OpenOptions, 'building'>;

/** Whose schema is this? Missing (carnet creates it, like a new file), empty, carnet's, or another application's. */
type SchemaOwner = 'missing' | 'empty' | 'carnet' | { tables: string[] };

function ownerOf(db: PgDb): SchemaOwner {
  const exists = db.prepare('SELECT 1 FROM pg_namespace WHERE nspname = ?').get(db.schema);
  if (exists === undefined) return 'missing';
  const tables = db
    .prepare(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1`)
    .pluck()
    .all(db.schema) as string[];
  if (tables.length === 0) return 'empty';
  if (!tables.includes('schema_migrations')) return { tables };
  const cols = db
    .prepare(`SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = 'schema_migrations'`)
    .pluck()
    .all(db.schema) as string[];
  return cols.includes('name') && cols.includes('applied_at') ? 'carnet' : { tables };
}

/**
 * Connects to the database a postgres:// URL names and makes its schema
 * carnet's: created when missing (as a new SQLite file is), migrated with
 * migrations/postgres/; an empty existing schema only by `carnet init`, and
 * another application's never.
 */
export function openPg(url: string, opts: PgOpenOptions = {}): { db: Db; target: PgTarget } {
  const target = pgTarget(url, { schema: opts.schema });
  let conn: SyncConnection;
  try {
    conn = new SyncConnection(target.config);
  } catch (err) {
    throw pgAsAppError(err, target.display);
  }
  const db = new PgDb(conn, target.schema, opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
  try {
    // Memory for this session's temp tables (import's stage, categorise's facts: 8 MB by default,
    // then they go to disk) and for its sorts and hashes. temp_buffers cannot change once a temp
    // table was touched (PGlite's one backend serves every connection): then it stays as it is.
    db.exec(`SET search_path TO "${target.schema}"; SET work_mem = '64MB';
      DO $$ BEGIN PERFORM set_config('temp_buffers', '64MB', false); EXCEPTION WHEN invalid_parameter_value THEN NULL; END $$`);
    if (opts.readonly) db.exec('SET default_transaction_read_only = on');
    const whose = ownerOf(db);
    if (typeof whose === 'object') {
      throw new AppError(`schema ${target.schema} of ${target.display} belongs to another application (tables: ${whose.tables.slice(0, 5).join(', ')}): nothing was written to it`, {
        exitCode: ExitCode.rejected,
        hint: 'choose another schema with --schema NAME or ?schema=NAME',
      });
    }
    if (whose === 'empty' && !opts.adopt) {
      throw new AppError(`schema ${target.schema} of ${target.display} exists but is empty: carnet did not create it, so nothing was written to it`, {
        exitCode: ExitCode.rejected,
        hint: 'if it is meant for carnet, run `carnet init` to make it carnet\'s; otherwise choose another schema with --schema NAME',
      });
    }
    if (whose === 'missing' && opts.readonly) {
      throw new AppError(`${target.display} holds no carnet schema ${target.schema}`, { exitCode: ExitCode.notFound, hint: 'run `carnet init` first' });
    }
    if (whose === 'missing') {
      // The schema and its table of levels appear in one commit, under the writers' lock: a carnet
      // opening the same new schema at that moment sees it missing (and queues) or carnet's, never empty.
      db.transaction(() => {
        db.exec(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
        if (opts.migrate ?? true) ensureTable(db);
      }).immediate();
    }
    if (whose !== 'carnet') opts.onAdopt?.();
    if (opts.migrate ?? true) migrate(db, { dir: opts.migrationsDir, now: opts.now });
  } catch (err) {
    db.close();
    throw pgAsAppError(err, target.display);
  }
  return { db, target };
}
