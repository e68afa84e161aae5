import type { Db } from '../port.js';
import { dialectOf, quoteIdent, type Dialect } from '../dialect.js';
import { auditFromRow, type AuditRow } from '../rows.js';
import type { AuditEntry } from '../../core/model.js';

export type Row = Record<string, unknown>;

const q = quoteIdent;

/** JSON columns come back as objects, so an access report is JSON all the way down. */
function parseJsonColumns(row: Row, columns: string[]): Row {
  for (const c of columns) {
    const v = row[c];
    if (typeof v === 'string') {
      try {
        row[c] = JSON.parse(v);
      } catch {
        // not JSON after all: leave the text
      }
    }
  }
  return row;
}

function likePrefix(action: string): string {
  const star = action.endsWith('*');
  const stem = (star ? action.slice(0, -1) : action).replace(/[\\%_]/g, (m) => `\\${m}`);
  return star ? `${stem}%` : `${stem}.%`;
}

export interface AuditQuery {
  since?: string | null;
  /** 'rgpd' matches rgpd and rgpd.*; 'rgpd.forget' matches exactly; 'export*' every action starting with export. */
  action?: string | null;
  subject?: string | null;
  limit?: number | null;
}

/** Reads for access requests, the audit register and the record of processing. */
export class RgpdReadRepo {
  private readonly d: Dialect;

  constructor(private readonly db: Db) {
    this.d = dialectOf(db);
  }

  customerRow(id: number): Row | undefined {
    const r = this.db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as Row | undefined;
    return r && parseJsonColumns(r, ['extra', 'custom']);
  }

  /** Every row of `table` whose `column` is the customer id. */
  rowsOf(table: string, column: string, id: number): Row[] {
    // In the order they were written: SQLite's rowid; on PostgreSQL the id, or the row's place in the table.
    const order = this.d.engine === 'sqlite' ? 'rowid' : this.hasIdColumn(table) ? 'id' : 'ctid';
    return this.db.prepare(`SELECT * FROM ${q(table)} WHERE ${q(column)} = ? ORDER BY ${order}`).all(id) as Row[];
  }

  private hasIdColumn(table: string): boolean {
    return (this.db.prepare(this.d.columnsSql).all(table) as { name: string }[]).some((c) => c.name === 'id');
  }

  /** The person's consents, each with its proof spelled out (an imported one shares its run's proof: consent_records). */
  consentsOf(id: number): Row[] {
    return this.db.prepare('SELECT * FROM consent_records WHERE customer_id = ? ORDER BY id').all(id) as Row[];
  }

  categoriesOf(id: number): Row[] {
    return this.db
      .prepare(
        `SELECT cat.name, cat.kind, cc.assigned_by, cc.assigned_at FROM customer_categories cc
         JOIN categories cat ON cat.id = cc.category_id WHERE cc.customer_id = ? ORDER BY ${this.d.nocase('cat.name')}, cc.assigned_by`,
      )
      .all(id) as Row[];
  }

  /** The import runs that brought or changed the customer, with the line of the file. */
  importRunsOf(id: number): Row[] {
    return this.db
      .prepare(
        `SELECT r.id AS import_run_id, r.file_name, r.sha256, r.what, r.source, r.started_at, r.ended_at, cir.line, cir.action
         FROM customer_import_runs cir JOIN import_runs r ON r.id = cir.import_run_id WHERE cir.customer_id = ? ORDER BY r.started_at, r.id`,
      )
      .all(id) as Row[];
  }

  /** Entries whose subject is the uid or one of the hashes, or whose details name the uid (a dedupe decision, a merge). */
  auditAbout(uid: string, hashes: string[]): AuditEntry[] {
    const subjects = [uid, ...hashes];
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE subject IN (${subjects.map(() => '?').join(', ')}) OR ${this.d.contains('details', '?')} ORDER BY id`)
      .all(...subjects, uid) as AuditRow[];
    return rows.map(auditFromRow);
  }

  suppressionsOf(hashes: string[]): Row[] {
    if (hashes.length === 0) return [];
    return this.db
      .prepare(`SELECT kind, channel, reason, created_at FROM suppressions WHERE hash IN (${hashes.map(() => '?').join(', ')}) ORDER BY created_at, kind`)
      .all(...hashes) as Row[];
  }

  /** Merges of this record: when and how, not the other records' ids or the snapshot (which may hold other people). */
  mergesOf(id: number, uid: string): Row[] {
    if (!this.hasTable('merges')) return [];
    return this.db
      .prepare(
        `SELECT m.id, CASE WHEN m.survivor_id = @id THEN 'survivor' ELSE 'merged' END AS role, m.score, m.decided_by, m.merged_at, m.undone_at
         FROM merges m WHERE m.survivor_id = @id OR ${this.inMerged()} ORDER BY m.id`,
      )
      .all(this.d.engine === 'sqlite' ? { id, uid } : { id, uid, sid: String(id) }) as Row[];
  }

  /** merged_ids holds ids (numbers) or uids: read as text on PostgreSQL, where @sid finds the numbers. */
  private inMerged(): string {
    return this.d.engine === 'sqlite'
      ? 'EXISTS (SELECT 1 FROM json_each(m.merged_ids) j WHERE j.value = @id OR j.value = @uid)'
      : `(@sid IN ${this.d.jsonTexts('m.merged_ids')} OR @uid IN ${this.d.jsonTexts('m.merged_ids')})`;
  }

  decisionsOf(uid: string): Row[] {
    if (!this.hasTable('dedupe_decisions')) return [];
    return this.db.prepare('SELECT decision, decided_at FROM dedupe_decisions WHERE uid_a = @uid OR uid_b = @uid ORDER BY decided_at').all({ uid }) as Row[];
  }

  audit(query: AuditQuery): AuditEntry[] {
    const action = query.action ?? null;
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log WHERE (CAST(@since AS TEXT) IS NULL OR at >= @since)
           AND (CAST(@action AS TEXT) IS NULL OR action = @action OR action LIKE @prefix ESCAPE '\\')
           AND (CAST(@subject AS TEXT) IS NULL OR subject = @subject)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({
        since: query.since ?? null,
        action,
        prefix: action === null ? null : likePrefix(action),
        subject: query.subject ?? null,
        limit: query.limit ?? this.d.noLimit,
      }) as AuditRow[];
    return rows.map(auditFromRow);
  }

  hasTable(name: string): boolean {
    return this.db.prepare(this.d.tableExistsSql).get(name) !== undefined;
  }
}
