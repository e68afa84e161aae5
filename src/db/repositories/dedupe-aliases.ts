import type { Db } from '../open.js';
import { COLUMN } from '../columns.js';

/** A customers row (or its snapshot) as far as its keys go. */
export type AliasSource = { readonly [K in (typeof COLUMN)['externalId' | 'externalSource' | 'siret' | 'emailNorm']]?: unknown };

const X = COLUMN.externalId;
const XS = COLUMN.externalSource;
const E = COLUMN.emailNorm;

/** The identifiers a merged-away record leaves on its survivor (customer_aliases). */
export class DedupeAliasesRepo {
  private readonly insertStmt;
  private readonly dropStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO customer_aliases (customer_id, merge_id, kind, value, source)
      SELECT @customer_id, @merge_id, @kind, @value, @source
      WHERE NOT EXISTS (SELECT 1 FROM customer_aliases WHERE customer_id = @customer_id AND kind = @kind AND value = @value AND source IS @source)`);
    this.dropStmt = db.prepare('DELETE FROM customer_aliases WHERE merge_id = ?');
  }

  /** Records the keys of `merged` that the survivor does not already carry. */
  record(survivorId: number, mergeId: number, survivor: AliasSource, merged: AliasSource[]): number {
    let n = 0;
    const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
    for (const m of merged) {
      const keys: [string, string | null, string | null, boolean][] = [
        [COLUMN.externalId, str(m[X]), str(m[XS]), str(m[X]) !== str(survivor[X]) || str(m[XS]) !== str(survivor[XS])],
        ['siret', str(m.siret), null, str(m.siret) !== str(survivor.siret)],
        ['email', str(m[E]), null, str(m[E]) !== str(survivor[E])],
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
