import type { AuditEntry } from '../../core/model.js';
import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';
import { auditFromRow, type AuditRow } from '../rows.js';

export interface NewAuditEntry {
  at: string;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
  actor?: string | null;
}

export class AuditRepo {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly bySubject;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO audit_log (at, actor, action, subject, details) VALUES (@at, @actor, @action, @subject, @details)${dialectOf(db).returningId}`);
    this.listStmt = db.prepare('SELECT * FROM audit_log WHERE (CAST(@since AS TEXT) IS NULL OR at >= @since) AND (CAST(@action AS TEXT) IS NULL OR action = @action) ORDER BY id DESC LIMIT @limit');
    this.bySubject = db.prepare('SELECT * FROM audit_log WHERE subject = ? ORDER BY id');
  }

  record(e: NewAuditEntry): number {
    return Number(
      this.insertStmt.run({
        at: e.at,
        actor: e.actor ?? null,
        action: e.action,
        subject: e.subject ?? null,
        details: JSON.stringify(e.details ?? {}),
      }).lastInsertRowid,
    );
  }

  list(opts: { since?: string; action?: string; limit?: number } = {}): AuditEntry[] {
    return (this.listStmt.all({ since: opts.since ?? null, action: opts.action ?? null, limit: opts.limit ?? 1000 }) as AuditRow[]).map(auditFromRow);
  }

  forSubject(subject: string): AuditEntry[] {
    return (this.bySubject.all(subject) as AuditRow[]).map(auditFromRow);
  }
}
