import { chmodSync, closeSync, constants, existsSync, fchmodSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError, BusyError, ExitCode, MachineError, writerBusy } from '../core/errors.js';
import { diskFull, whyNotWritable } from './machine.js';
import { PrivateFile } from '../io/private-file.js';
import { migrate, snapshotTo, type MigrateOptions } from './migrate.js';
import { notCarnets, ownerOf } from './ownership.js';
import { isPgUrl, redact } from './pg/connect.js';
import { pgAsAppError } from './pg/errors.js';
import { openPg } from './pg/open.js';
import { BUSY_TIMEOUT_MS, type Db, type OpenOptions } from './port.js';

export type { Db, OpenOptions } from './port.js';


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

/** A SQLite file, or a PostgreSQL database when path is a postgres:// URL (never a file name). */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (isPgUrl(path)) return openPg(path, opts).db;
  return openSqlite(path, opts);
}

function openSqlite(path: string, opts: OpenOptions): Database.Database {
  const memory = path === ':memory:' || path === '';
  if (memory) return openConnection(path, opts);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new AppError(`${path} is a directory, not a database file`, { exitCode: ExitCode.usage, hint: 'pass a file path with --db' });
  }
  if (!opts.readonly && !existsSync(path)) createDatabase(path, opts);
  const companions = opts.readonly ? [] : privateCompanions(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: true, timeout: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
  } catch (err) {
    dropMade(companions);
    throw asAppError(err, path);
  }
  try {
    // Before anything writes to it: a file carnet did not create is refused, never turned into a carnet database.
    const whose = ownerOf(db, path);
    if (whose !== 'carnet') {
      if (whose.kind === 'foreign' || !opts.adopt) throw notCarnets(path, whose);
      // Adopted: from now on it is carnet's file, private like the ones carnet creates.
      chmodSync(path, 0o600);
      opts.onAdopt?.();
    }
  } catch (err) {
    db.close();
    dropMade(companions);
    throw asAppError(err, path);
  }
  return setUp(db, path, opts);
}

/** A connection with carnet's pragmas and functions, migrated unless told otherwise. */
function openConnection(path: string, opts: OpenOptions): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false, timeout: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
  } catch (err) {
    throw asAppError(err, path);
  }
  return setUp(db, path, opts);
}

function setUp(db: Database.Database, path: string, opts: OpenOptions): Database.Database {
  const memory = path === ':memory:' || path === '';
  try {
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS)}`);
    db.function('carnet_fold', { deterministic: true }, memoFold());
    if (opts.migrate ?? true) {
      const mopts: MigrateOptions = { dir: opts.migrationsDir, now: opts.now };
      if (!memory && !opts.building) {
        mopts.beforeUpgrade = () => snapshotTo(db, `${path}.before-upgrade-${Date.now()}.bak`, 'the before-upgrade backup');
      }
      migrate(db, mopts);
    }
  } catch (err) {
    db.close();
    throw asAppError(err, path);
  }
  return db;
}

/**
 * A new database is built whole under a temporary name (0600, migrated, in
 * WAL mode) and linked into place: no one ever sees an empty or half-made
 * carnet file, and of two carnets creating the same file at once, one wins
 * and the other opens its file.
 */
function createDatabase(path: string, opts: OpenOptions): void {
  const file = PrivateFile.create(path, 'the database');
  try {
    const db = openConnection(file.tmp, { ...opts, migrate: true, building: true });
    db.close();
  } catch (err) {
    file.abort();
    throw asAppError(err, path);
  }
  file.commit({ overwrite: false });
}

/**
 * SQLite gives the -wal and -shm files the database file's mode: it even
 * chmods an existing *empty* one to it. So a database someone made 0644 would
 * share its journal (personal data) with every user. Created first, 0600 and
 * not empty, they stay 0600: SQLite ignores a -wal whose header is not a WAL
 * header (it writes a fresh one) and re-initialises a -shm it is the first to
 * open. Best effort: a folder we may not write is reported by SQLite itself,
 * in words (asAppError). Returns the files made.
 */
function privateCompanions(path: string): string[] {
  const made: string[] = [];
  for (const f of [`${path}-wal`, `${path}-shm`]) {
    if (existsSync(f)) continue;
    try {
      const fd = openSync(f, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        fchmodSync(fd, 0o600);
        writeSync(fd, Buffer.alloc(32));
      } finally {
        closeSync(fd);
      }
      made.push(f);
    } catch {
      // another carnet made it first, or the folder is read-only
    }
  }
  return made;
}

/** Removes the companions made for a database that was then refused. */
function dropMade(files: readonly string[]): void {
  for (const f of files) {
    try {
      unlinkSync(f);
    } catch {
      // gone already
    }
  }
}

/** SQLite errors the user can act on, in words; the machine's state (disk full, read-only) is exit 6. */
export function asAppError(err: unknown, path?: string): unknown {
  if (err instanceof AppError) return err;
  if (path !== undefined && isPgUrl(path)) return pgAsAppError(err, redact(path));
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return err;
  const file = path === undefined || path === ':memory:' || path === '' ? null : path;
  const named = file ?? 'the database';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return writerBusy();
  }
  if (code === 'SQLITE_NOTADB') {
    return new AppError(`${named} is not a carnet database (not a SQLite file at all): nothing was written to it`, {
      exitCode: ExitCode.rejected,
      hint: 'check --db or $CARNET_DB, or restore a backup made with `carnet backup`',
    });
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new AppError(`${named} is damaged (SQLite: ${(err as Error).message})`, {
      exitCode: ExitCode.machine,
      hint: 'restore a backup made with `carnet backup`; `carnet doctor` runs the integrity check',
    });
  }
  if (code === 'SQLITE_FULL') {
    return file === null ? new MachineError('the disk is full: nothing was written', 'free some space and run the command again') : diskFull(file);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_PERM') {
    const why = file === null ? null : whyNotWritable(file);
    if (why !== null) return why;
    if (code.startsWith('SQLITE_CANTOPEN')) {
      return new AppError(`cannot open ${named}`, { exitCode: ExitCode.machine, hint: 'check that the folder exists and that you may write to it' });
    }
    if (code.startsWith('SQLITE_READONLY')) {
      return new MachineError(`${named} is read-only: nothing was changed`, 'check the file, its folder and the disk');
    }
    if (code.startsWith('SQLITE_IOERR')) {
      return new MachineError(`the disk failed while carnet used ${named} (${code}): nothing was changed`, 'check the disk (dmesg), then run the command again');
    }
  }
  return err;
}
