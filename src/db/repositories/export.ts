import type { Channel } from '../../core/model.js';
import type { Db } from '../port.js';
import { buildExportSql, type ExportQuery, type SqlParams } from './export-sql.js';
import { COLUMN } from '../columns.js';
import { dialectOf, type Dialect } from '../dialect.js';
import type { SuppressionKind } from './suppressions.js';

export {
  buildExportSql, reasonCount, CONTACT_SOURCES, DERIVED_SOURCES, LINE_SEPARATOR,
  type ExportQuery, type LineKind, type LineSpec, type ReasonSpec, type SourceKey, type SqlParams,
} from './export-sql.js';

/** What the export's SQL functions need from the domain, passed in so that src/db never imports core. */
export interface ExportHelpers {
  /** Is this E.164 number a mobile (for the SMS number)? */
  isMobile: (e164: string) => boolean;
  /** Salted hash of an identifier, as suppressions store it; absent when the file has no salt (so no suppressions). */
  hash?: ((kind: SuppressionKind, value: string) => string) | undefined;
  /** The salt itself: PostgreSQL computes the same hash in SQL (it cannot call `hash`). */
  salt?: string | undefined;
}

/**
 * The export's reads: a streaming SELECT of raw arrays (no object per row),
 * the --ids staging table, and the audit entry's completion.
 */
export class ExportRepo {
  private readonly suppressionKindsStmt;
  private readonly customerById;
  private readonly customerByUid;
  private insertId: ReturnType<Db['prepare']> | null = null;
  private readonly auditUpdate;

  private readonly d: Dialect;
  /** Parameters every export query of this connection takes (PostgreSQL: the suppression salt). */
  private helperParams: SqlParams = {};

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
    this.suppressionKindsStmt = db.prepare(`SELECT DISTINCT kind FROM suppressions WHERE channel IN (@channel, 'all') ORDER BY kind`);
    this.customerById = db.prepare('SELECT id FROM customers WHERE id = ?').pluck();
    this.customerByUid = db.prepare('SELECT id FROM customers WHERE uid = ?').pluck();
    this.auditUpdate = db.prepare(`UPDATE audit_log SET details = @details WHERE id = @id AND action = 'export.run'`);
  }

  /** The keys of the yes/no fields of one's own, for PostgreSQL's SQL (SQLite's json_extract needs none). */
  private boolFields(): ReadonlySet<string> {
    if (this.d.engine === 'sqlite') return new Set();
    return new Set(this.db.prepare(`SELECT key FROM custom_fields WHERE type = 'bool'`).pluck().all() as string[]);
  }

  /** Registers (again) the SQL functions the query uses; cheap, and the salt may differ between files. */
  useHelpers(h: ExportHelpers): void {
    if (this.d.engine !== 'sqlite') {
      this.listMobiles(h.isMobile);
      this.helperParams = { hash_salt: h.salt ?? '' };
      return;
    }
    this.db.function('carnet_export_is_mobile', { deterministic: true }, (v: unknown) => (typeof v === 'string' && h.isMobile(v) ? 1 : 0));
    const hash = h.hash;
    this.db.function('carnet_export_hash', { deterministic: true }, (kind: unknown, v: unknown) =>
      hash && typeof v === 'string' && v !== '' ? hash(kind as SuppressionKind, v) : null,
    );
  }

  /**
   * PostgreSQL: the phones (not already a mobile column) that are mobile numbers, into the temp table
   * export_mobiles the query reads, decided once per distinct number by the domain's test.
   */
  private listMobiles(isMobile: (e164: string) => boolean): void {
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS export_mobiles (e164 text COLLATE "C" PRIMARY KEY); DELETE FROM pg_temp.export_mobiles;');
    const insert = this.db.prepare('INSERT INTO pg_temp.export_mobiles (e164) SELECT value FROM json_array_elements_text(CAST(? AS json)) AS j(value)');
    const phones = this.db
      .prepare(`SELECT DISTINCT ${COLUMN.phoneE164} FROM customers WHERE ${COLUMN.phoneE164} IS NOT NULL AND ${COLUMN.mobileE164} IS NULL`)
      .pluck();
    let batch: string[] = [];
    for (const p of phones.iterate() as IterableIterator<string>) {
      if (!isMobile(p)) continue;
      batch.push(p);
      if (batch.length === 5000) {
        insert.run(JSON.stringify(batch));
        batch = [];
      }
    }
    if (batch.length > 0) insert.run(JSON.stringify(batch));
  }

  /** The identifier kinds (email, phone, siret) suppressed for this channel or for all: the query hashes only those. */
  suppressedKinds(channel: Channel): SuppressionKind[] {
    return (this.suppressionKindsStmt.all({ channel }) as { kind: SuppressionKind }[]).map((r) => r.kind);
  }

  /** Starts an empty --ids selection (a TEMP table: private to this connection, gone when it closes). */
  resetIds(): void {
    this.db.exec(this.d.tempDdl(this.d.tempSql('CREATE TEMP TABLE IF NOT EXISTS export_ids (id INTEGER PRIMARY KEY); DELETE FROM temp.export_ids;')));
    this.insertId = this.db.prepare(this.d.tempSql(this.d.insertOrIgnore('temp.export_ids (id) VALUES (?)')));
  }

  /** Adds the customer with this id or uid; false when there is none. */
  addId(ref: { id: number } | { uid: string }): boolean {
    const id = ('id' in ref ? this.customerById.get(ref.id) : this.customerByUid.get(ref.uid)) as number | undefined;
    if (id === undefined) return false;
    if (!this.insertId) throw new Error('resetIds() first');
    this.insertId.run(id);
    return true;
  }

  /** The smallest and largest customer id (the rowid: read from the ends of the table). */
  idRange(): { lo: number; hi: number } | null {
    const r = this.db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM customers').get() as { lo: number | null; hi: number | null };
    return r.lo === null || r.hi === null ? null : { lo: r.lo, hi: r.hi };
  }

  /**
   * Takes the write lock for a moment, without waiting: while it is held no
   * one can commit, so the parallel readers all start from the same
   * snapshot. Returns the release, or null when another writer is at work
   * (the export then runs on one thread rather than wait).
   */
  holdWriters(): (() => void) | null {
    // PostgreSQL: one thread (the workers open the database by file; a server's snapshot is per connection).
    if (this.d.engine !== 'sqlite' || this.db.inTransaction) return null;
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch {
      return null;
    } finally {
      this.db.pragma(`busy_timeout = ${Math.trunc(timeout)}`);
    }
    return () => {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    };
  }

  /** Starts a read transaction and reads once, so that every later query of this connection sees that snapshot. */
  beginSnapshot(): void {
    this.db.exec('BEGIN');
    this.db.prepare('SELECT 1 FROM customers LIMIT 1').get();
  }

  /**
   * The rows as arrays: the sources in order, then one reason per channel
   * (or one for restricted/archived). Streams: nothing is held in memory.
   */
  iterate(q: ExportQuery, extra: SqlParams = {}): IterableIterator<unknown[]> {
    const { sql, params } = buildExportSql(q, this.d, this.boolFields());
    return this.db.prepare(sql).raw(true).iterate({ ...this.helperParams, ...params, ...extra }) as IterableIterator<unknown[]>;
  }

  /** The same query prepared once, for a worker that runs it on many id ranges. */
  prepared(q: ExportQuery): (extra: SqlParams) => IterableIterator<unknown[]> {
    const { sql, params } = buildExportSql(q, this.d, this.boolFields());
    const stmt = this.db.prepare(sql).raw(true);
    return (extra) => stmt.iterate({ ...this.helperParams, ...params, ...extra }) as IterableIterator<unknown[]>;
  }

  /** The plan SQLite chose, for --debug and for tests that guard against full per-row work. */
  explain(q: ExportQuery): string[] {
    const { sql, params } = buildExportSql(q, this.d, this.boolFields());
    if (this.d.engine !== 'sqlite') return (this.db.prepare(`EXPLAIN ${sql}`).pluck().all({ ...this.helperParams, ...params }) as string[]);
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
  }

  /** Completes the audit entry written when the export started (count, reasons): counts only, never data. */
  finishAudit(id: number, details: Record<string, unknown>): void {
    this.auditUpdate.run({ id, details: JSON.stringify(details) });
  }
}
