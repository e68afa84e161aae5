import { existsSync, statSync, unlinkSync } from 'node:fs';
import { AppError, ExitCode } from '../core/errors.js';
import { dialectOf, quoteIdent } from './dialect.js';
import { openDatabase } from './open.js';
import { isPgUrl, redact } from './pg/connect.js';
import { engineOf, type Db } from './port.js';

/** Tables migrate() fills itself: never copied. */
const OWN = new Set(['schema_migrations']);
/** Most values one INSERT binds (under SQLite's 32,766 and PostgreSQL's 65,535). */
const MAX_PARAMS = 30_000;

export interface CopyOptions {
  now: () => Date;
  actor: string | null;
  onProgress?: (done: number, total: number) => void;
}

export interface CopyResult {
  target: string;
  tables: number;
  rows: number;
}

interface TableInfo {
  name: string;
  columns: string[];
}

/** The tables of db, parents before children (foreign keys), each with the columns it stores (generated ones left out). */
function tablesOf(db: Db): TableInfo[] {
  const d = dialectOf(db);
  const names = (db.prepare(d.tablesSql).all() as { name: string }[]).map((r) => r.name).filter((n) => !OWN.has(n));
  const parents = new Map<string, string[]>();
  for (const n of names) {
    parents.set(n, (db.prepare(d.foreignKeysSql).all(n) as { target: string }[]).map((r) => r.target).filter((t) => t !== n));
  }
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string, path: Set<string>) => {
    if (seen.has(n) || path.has(n)) return;
    path.add(n);
    for (const p of parents.get(n) ?? []) if (parents.has(p)) visit(p, path);
    seen.add(n);
    ordered.push(n);
  };
  for (const n of names) visit(n, new Set());
  return ordered.map((name) => ({ name, columns: (db.prepare(d.columnsSql).all(name) as { name: string }[]).map((r) => r.name) }));
}

/** Rows in a table, not counting what a new database is born with (its settings, the record of `carnet init`). */
function userRows(db: Db, table: string): number {
  if (table === 'settings') return 0;
  const where = table === 'audit_log' ? ` WHERE action <> 'database.init'` : '';
  return db.prepare(`SELECT count(*) FROM ${quoteIdent(table)}${where}`).pluck().get() as number;
}

/**
 * Opens TARGET (a new SQLite file, or a PostgreSQL database whose schema is
 * missing, empty or freshly initialised) or refuses it: a copy never mixes
 * with data already there.
 */
function openTarget(target: string, now: () => Date): { db: Db; made: boolean } {
  if (!isPgUrl(target)) {
    if (existsSync(target) && statSync(target).size > 0) {
      throw new AppError(`${target} already exists: a copy goes to a new file`, { exitCode: ExitCode.usage, hint: 'choose a new file name, or delete that file first' });
    }
    return { db: openDatabase(target, { now, adopt: true }), made: true };
  }
  let made = false;
  const db = openDatabase(target, { now, adopt: true, onAdopt: () => void (made = true) });
  const busy = tablesOf(db).filter((t) => userRows(db, t.name) > 0);
  if (busy.length > 0) {
    db.close();
    throw new AppError(`${redact(target)} already holds data (${busy.map((t) => t.name).slice(0, 4).join(', ')}): a copy goes to an empty database`, {
      exitCode: ExitCode.usage,
      hint: 'give another schema (?schema=NAME or --schema on the target URL), or an empty database (createdb NAME)',
    });
  }
  return { db, made };
}

/** Undoes what a failed copy made: the new file, or the schema carnet created for it. */
function dropMade(target: string, db: Db): void {
  if (isPgUrl(target)) {
    try {
      const schema = db.prepare('SELECT current_schema()').pluck().get() as string;
      db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    } catch {
      // the connection is gone: the empty schema stays, harmless
    }
    return;
  }
  for (const f of [target, `${target}-wal`, `${target}-shm`]) {
    try {
      unlinkSync(f);
    } catch {
      // not there
    }
  }
}

/**
 * Copies every table of source into target in one transaction on target,
 * reading source from one snapshot: a copy is whole or not at all. Ids are
 * kept (references stay right), and PostgreSQL's identity counters are moved
 * past them.
 */
export function copyDatabase(source: Db, target: string, opts: CopyOptions): CopyResult {
  const from = tablesOf(source);
  const { db, made } = openTarget(target, opts.now);
  const shown = isPgUrl(target) ? redact(target) : target;
  let rows = 0;
  try {
    const into = new Map(tablesOf(db).map((t) => [t.name, t]));
    const missing = from.filter((t) => !into.has(t.name)).map((t) => t.name);
    if (missing.length > 0) throw new AppError(`${shown} has no table ${missing.join(', ')}: the two databases are not at the same schema level`, { exitCode: ExitCode.failure });
    source.exec(engineOf(source) === 'postgres' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    try {
      const total = from.reduce((n, t) => n + (source.prepare(`SELECT count(*) FROM ${quoteIdent(t.name)}`).pluck().get() as number), 0);
      opts.onProgress?.(0, total);
      db.transaction(() => {
        for (const t of [...from].reverse()) db.prepare(`DELETE FROM ${quoteIdent(t.name)}`).run();
        for (const t of from) rows += copyTable(source, db, t, into.get(t.name)!, (n) => opts.onProgress?.(rows + n, total));
        if (engineOf(db) === 'postgres') moveIdentities(db);
        db.prepare(`INSERT INTO audit_log (at, action, actor, details) VALUES (?, 'database.copy', ?, ?)`).run(
          opts.now().toISOString(),
          opts.actor,
          JSON.stringify({ from: engineOf(source), rows }),
        );
      }).immediate();
    } finally {
      if (source.inTransaction) source.exec('ROLLBACK');
    }
  } catch (err) {
    if (made) dropMade(target, db);
    db.close();
    throw err;
  }
  db.close();
  return { target: shown, tables: from.length, rows };
}

function copyTable(source: Db, db: Db, from: TableInfo, to: TableInfo, progress: (n: number) => void): number {
  const cols = from.columns.filter((c) => to.columns.includes(c));
  if (cols.length === 0) return 0;
  const list = cols.map(quoteIdent).join(', ');
  const per = Math.max(1, Math.min(1000, Math.floor(MAX_PARAMS / cols.length)));
  const row = `(${cols.map(() => '?').join(', ')})`;
  const insert = (n: number) => db.prepare(`INSERT INTO ${quoteIdent(to.name)} (${list}) VALUES ${Array.from({ length: n }, () => row).join(', ')}`);
  const full = insert(per);
  const order = from.columns.includes('id') ? ' ORDER BY id' : '';
  let batch: unknown[] = [];
  let count = 0;
  for (const r of source.prepare(`SELECT ${list} FROM ${quoteIdent(from.name)}${order}`).raw().iterate() as IterableIterator<unknown[]>) {
    batch.push(...r);
    if (batch.length === per * cols.length) {
      full.run(batch);
      count += per;
      batch = [];
      progress(count);
    }
  }
  if (batch.length > 0) {
    insert(batch.length / cols.length).run(batch);
    count += batch.length / cols.length;
    progress(count);
  }
  return count;
}

/** After explicit ids, the next generated one must come after them. */
function moveIdentities(db: Db): void {
  const cols = db
    .prepare(`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'`)
    .all() as { t: string; c: string }[];
  for (const { t, c } of cols) {
    db.prepare(`SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(${quoteIdent(c)}), 0) + 1, false) FROM ${quoteIdent(t)}`).get(quoteIdent(t), c);
  }
}
