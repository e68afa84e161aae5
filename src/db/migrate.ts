import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ExitCode } from '../core/errors.js';
import { PrivateFile } from '../io/private-file.js';
import { engineOf, type Db, type Engine, type SqliteDb } from './port.js';

/** migrations/ beside dist/ (built) or src/ (tests run the TypeScript): SQLite's files, PostgreSQL's in postgres/ under the same names. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

/** Where an engine's migrations are; the SQLite files stay where they landed. */
export function migrationsDirOf(engine: Engine, base: string = MIGRATIONS_DIR): string {
  return engine === 'postgres' ? join(base, 'postgres') : base;
}

const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;

export interface Migration {
  name: string;
  sql: string;
}

export type MigrationResult = { name: string; status: 'applied' | 'already' };

export function listMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/** The table of applied levels; exported for PostgreSQL's open, which creates it in the schema's own first commit. */
export function ensureTable(db: Db): void {
  const strict = engineOf(db) === 'sqlite' ? ' STRICT' : '';
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )${strict}`);
}

const HAS_TABLE: Record<Engine, string> = {
  sqlite: `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
  postgres: `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`,
};

export function appliedMigrations(db: Db): string[] {
  const exists = db.prepare(HAS_TABLE[engineOf(db)]).get();
  if (!exists) return [];
  return (db.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name);
}

export interface MigrateOptions {
  dir?: string;
  /** Called once, before the first pending migration, when the database already holds data. */
  beforeUpgrade?: (pending: string[]) => void;
  now?: () => Date;
}

/**
 * Applies pending migrations in name order, each in its own IMMEDIATE
 * transaction together with its record, so a crash leaves whole levels only
 * and two processes opening a new file at once do not both apply a level.
 */
export function migrate(db: Db, opts: MigrateOptions = {}): MigrationResult[] {
  const migrations = listMigrations(opts.dir ?? migrationsDirOf(engineOf(db)));
  const known = new Set(migrations.map((m) => m.name));
  const applied = appliedMigrations(db);
  const unknown = applied.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new AppError(`this database was written by a newer carnet (schema level ${unknown.join(', ')})`, {
      exitCode: ExitCode.busy,
      hint: 'upgrade carnet (npm install -g carnet@latest) before opening this file',
    });
  }
  const done = new Set(applied);
  const pending = migrations.filter((m) => !done.has(m.name));
  if (pending.length === 0) return migrations.map((m) => ({ name: m.name, status: 'already' as const }));
  if (applied.length > 0) opts.beforeUpgrade?.(pending.map((m) => m.name));
  // PostgreSQL: under the schema's writer lock, since two CREATE TABLE IF NOT EXISTS at once can still collide there.
  if (engineOf(db) === 'postgres') db.transaction(() => ensureTable(db)).immediate();
  else ensureTable(db);
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE name = ?');
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  const now = opts.now ?? (() => new Date());
  const results: MigrationResult[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) {
      results.push({ name: m.name, status: 'already' });
      continue;
    }
    const apply = db.transaction(() => {
      if (isApplied.get(m.name)) return false;
      db.exec(m.sql);
      record.run(m.name, now().toISOString());
      return true;
    });
    results.push({ name: m.name, status: apply.immediate() ? 'applied' : 'already' });
  }
  return results;
}

/**
 * A compact, consistent copy made with VACUUM INTO a PrivateFile (0600 from
 * the first byte, a temporary name until complete): a copy killed or out of
 * disk half-way never appears under the backup's name, and its temporary file
 * is removed (or swept by the next carnet when the process was killed).
 */
export function snapshotTo(db: SqliteDb, target: string, what = 'the backup'): void {
  if (existsSync(target)) throw new AppError(`${target} already exists`, { exitCode: ExitCode.usage, hint: 'choose a new file name: a backup never overwrites' });
  const file = PrivateFile.create(target, what);
  try {
    db.prepare('VACUUM INTO ?').run(file.tmp);
  } catch (err) {
    file.abort();
    throw err;
  }
  if (!file.commit({ overwrite: false })) {
    throw new AppError(`${target} already exists`, { exitCode: ExitCode.usage, hint: 'choose a new file name: a backup never overwrites' });
  }
}
