import type { Db } from '../port.js';
import { dialectOf } from '../dialect.js';

export interface AliasSource {
  external_id?: unknown;
  external_source?: unknown;
  siret?: unknown;
  email_norm?: unknown;
}

/** The identifiers a merged-away record leaves on its survivor (customer_aliases). */
export class DedupeAliasesRepo {
  private readonly insertStmt;
  private readonly dropStmt;

  constructor(db: Db) {
    // Typed: PostgreSQL cannot guess a parameter's type from a select list.
    this.insertStmt = db.prepare(`INSERT INTO customer_aliases (customer_id, merge_id, kind, value, source)
      SELECT CAST(@customer_id AS INTEGER), CAST(@merge_id AS INTEGER), CAST(@kind AS TEXT), CAST(@value AS TEXT), CAST(@source AS TEXT)
      WHERE NOT EXISTS (SELECT 1 FROM customer_aliases WHERE customer_id = @customer_id AND kind = @kind AND value = @value
        AND ${dialectOf(db).same('source', 'CAST(@source AS TEXT)')})`);
    this.dropStmt = db.prepare('DELETE FROM customer_aliases WHERE merge_id = ?');
  }

  /** Records the keys of `merged` that the survivor does not already carry. */
  record(survivorId: number, mergeId: number, survivor: AliasSource, merged: AliasSource[]): number {
    let n = 0;
    const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
    for (const m of merged) {
      const keys: [string, string | null, string | null, boolean][] = [
        ['external_id', str(m.external_id), str(m.external_source), str(m.external_id) !== str(survivor.external_id) || str(m.external_source) !== str(survivor.external_source)],
        ['siret', str(m.siret), null, str(m.siret) !== str(survivor.siret)],
        ['email', str(m.email_norm), null, str(m.email_norm) !== str(survivor.email_norm)],
      ];
      for (const [kind, value, source, differs] of keys) {
        if (value && differs) n += this.insertStmt.run({ customer_id: survivorId, merge_id: mergeId, kind, value, source }).changes;
      }
    }
    return n;
  }

  dropForMerge(mergeId: number): void {
    this.dropStmt.run(mergeId);
  }
}
