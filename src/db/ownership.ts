import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { AppError, ExitCode } from '../core/errors.js';

/** Whose file is this? */
export type Owner = 'carnet' | { readonly kind: 'empty'; readonly zeroBytes: boolean } | { readonly kind: 'foreign'; readonly tables: readonly string[] };

/** Names migrate() records: `0001_init`… (migration files without `.sql`). */
const LEVEL = /^\d{4}_[a-z0-9_]+$/;

/**
 * Reads, without writing anything, whether a database file is carnet's: it
 * has carnet's `schema_migrations` table (a `name` column holding levels like
 * `0001_init`). A zero-byte file, or a SQLite file with no table at all, is
 * empty (only `carnet init` adopts it); anything else belongs to another
 * program and is never touched.
 */
export function ownerOf(db: Database.Database, path: string): Owner {
  if (statSync(path).size === 0) return { kind: 'empty', zeroBytes: true };
  const objects = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).pluck().all() as string[];
  if (objects.length === 0) {
    const any = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
    return any === 0 ? { kind: 'empty', zeroBytes: false } : { kind: 'foreign', tables: [] };
  }
  if (objects.includes('schema_migrations')) {
    const columns = db.prepare(`SELECT name FROM pragma_table_info('schema_migrations')`).pluck().all() as string[];
    if (columns.includes('name') && columns.includes('applied_at')) {
      const names = db.prepare('SELECT name FROM schema_migrations').pluck().all() as unknown[];
      if (names.every((n) => typeof n === 'string' && LEVEL.test(n))) return 'carnet';
    }
  }
  return { kind: 'foreign', tables: objects };
}

/** The refusal, in words: exit 3 (the file given is not one carnet accepts), and what to do. */
export function notCarnets(path: string, whose: Exclude<Owner, 'carnet'>): AppError {
  if (whose.kind === 'empty') {
    const what = whose.zeroBytes ? 'is an empty file (0 bytes)' : 'is an empty SQLite database (no tables)';
    return new AppError(`${path} ${what}, not a carnet database: carnet did not create it, so nothing was written to it`, {
      exitCode: ExitCode.rejected,
      hint: `if it is meant for carnet, run \`carnet init --db ${path}\` to make it one; otherwise check --db or $CARNET_DB`,
    });
  }
  const shown = whose.tables.slice(0, 5).join(', ') + (whose.tables.length > 5 ? `, … (${whose.tables.length} tables)` : '');
  return new AppError(`${path} is a database of another program${shown ? ` (tables: ${shown})` : ''}, not a carnet database: nothing was written to it`, {
    exitCode: ExitCode.rejected,
    hint: 'check --db or $CARNET_DB; carnet keeps its data in a file of its own (carnet init --db NEW_FILE)',
  });
}
