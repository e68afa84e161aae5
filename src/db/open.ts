import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, BusyError, ExitCode } from '../core/errors.js';
import { migrate, snapshotTo, type MigrateOptions } from './migrate.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  migrationsDir?: string;
  readonly?: boolean;
  busyTimeoutMs?: number;
  now?: () => Date;
}

const COMBINING = /[\u0300-\u036f]/g;

/** Lower-case and strip accents: the SQL side of case/accent-insensitive matching. */
export function foldForSql(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value).normalize('NFD').replace(COMBINING, '').toLowerCase();
}

/**
 * foldForSql remembering short strings: a scan of a million customers folds
 * the same first names, cities and sectors over and over, and normalize()
 * costs more than a lookup. Bounded (cleared when full, long texts never kept).
 */
function memoFold(): (value: unknown) => string | null {
  const cache = new Map<string, string | null>();
  return (value) => {
    if (typeof value !== 'string' || value.length > 64) return foldForSql(value);
    let folded = cache.get(value);
    if (folded === undefined) {
      if (cache.size >= 10_000) cache.clear();
      folded = foldForSql(value);
      cache.set(value, folded);
    }
    return folded;
  };
}

function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Created before SQLite touches it so that it is never world-readable, even briefly;
  // SQLite gives the -wal and -shm files the database file's mode.
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const memory = path === ':memory:' || path === '';
  const isNew = !memory && !existsSync(path);
  if (!memory && !opts.readonly && isNew) createPrivateFile(path);
  if (!memory && existsSync(path) && statSync(path).isDirectory()) {
    throw new AppError(`${path} is a directory, not a database file`, { hint: 'pass a file path with --db' });
  }
  let db: Db;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false, timeout: opts.busyTimeoutMs ?? 5000 });
  } catch (err) {
    throw asAppError(err, path);
  }
  try {
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
    db.function('carnet_fold', { deterministic: true }, memoFold());
    if (opts.migrate ?? true) {
      const mopts: MigrateOptions = { dir: opts.migrationsDir, now: opts.now };
      if (!memory) {
        mopts.beforeUpgrade = () => snapshotTo(db, `${path}.before-upgrade-${Date.now()}.bak`);
      }
      migrate(db, mopts);
    }
  } catch (err) {
    db.close();
    throw asAppError(err, path);
  }
  return db;
}

/** SQLite errors the user can act on, in words. */
export function asAppError(err: unknown, path?: string): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT') {
    return new BusyError('the database is busy: another carnet is writing to it', 'wait for it to finish (a nightly import?) and run the command again');
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new AppError(`${path ?? 'the database'} is not a carnet database or is damaged`, {
      exitCode: ExitCode.failure,
      hint: 'check the --db path, or restore a backup made with `carnet backup`',
    });
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new AppError(`cannot open ${path ?? 'the database'}`, { hint: 'check that the folder exists and that you may write to it' });
  }
  if (code === 'SQLITE_FULL') {
    return new AppError('the disk is full: nothing was written', { hint: 'free some space and run the command again' });
  }
  if (code === 'SQLITE_READONLY') {
    return new AppError(`${path ?? 'the database'} is read-only`, { hint: 'check the file permissions' });
  }
  return err;
}
