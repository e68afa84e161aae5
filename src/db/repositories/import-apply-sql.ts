/**
 * The statements an import applies to customers, derived from the stage
 * layout (itself the catalogue's): which matched rows change their customer,
 * the update of those, and the insert of new customers. Text only; the
 * import's repository (import-apply.ts) runs them.
 */
import type { OnConflict } from '../../core/model.js';
import { COLUMN } from '../columns.js';
import type { Dialect } from '../dialect.js';
import { bitOf, DERIVED_FROM, STAGE_FIELD_COLUMNS, type StageFieldColumn } from './import-columns.js';

const F = STAGE_FIELD_COLUMNS;
const given = (c: StageFieldColumn, s = 's') => `(${s}.mask & ${bitOf(c)}) != 0`;

/**
 * Restriction (RGPD art. 18) and archive dates from carnet's own export: a
 * file sets them on a customer that has none, never clears or moves one
 * (lifting a restriction is `carnet rgpd`'s act, not a file's).
 */
const MARKERS = ['restricted_at', 'archived_at'] as const;

/** True for a matched row whose file values change its customer (`c`: the customer, `s`: the staged row). */
export function changedSql(d: Dialect, mode: OnConflict): string {
  const columns = F.map((c) =>
    // A derived column (the normalised e-mail) is empty exactly when its field is: fill mode tests the field.
    mode === 'fill' ? `(${given(c)} AND c.${DERIVED_FROM[c] ?? c} IS NULL AND s.${c} IS NOT NULL)` : `(${given(c)} AND ${d.notSame(`c.${c}`, `s.${c}`)})`,
  );
  const patched = (col: string) =>
    d.notSame(d.json(`c.${col}`), mode === 'fill' ? d.jsonPatch(`s.${col}`, `c.${col}`) : d.jsonPatch(`c.${col}`, `s.${col}`));
  return [
    ...columns,
    // Same text first: an extra written by the same file is byte for byte the same, and json_patch is dear.
    `(s.extra IS NOT NULL AND ${d.notSame('c.extra', 's.extra')} AND ${patched('extra')})`,
    `(s.custom IS NOT NULL AND ${d.notSame('c.custom', 's.custom')} AND ${patched('custom')})`,
    '(s.last_contact_at IS NOT NULL AND (c.last_contact_at IS NULL OR c.last_contact_at < s.last_contact_at))',
    ...MARKERS.map((m) => `(s.${m} IS NOT NULL AND c.${m} IS NULL)`),
  ].join('\n OR ');
}

/** The UPDATE of the customers the plan marks 'update', each from its staged row. */
export function updateSql(d: Dialect, mode: Exclude<OnConflict, 'skip'>): string {
  const sets = F.map((c) => {
    const cond = mode === 'fill' ? `${given(c)} AND customers.${DERIVED_FROM[c] ?? c} IS NULL` : given(c);
    return `${c} = CASE WHEN ${cond} THEN s.${c} ELSE customers.${c} END`;
  });
  const patch = (col: string) => (mode === 'fill' ? d.jsonPatch(`s.${col}`, `customers.${col}`) : d.jsonPatch(`customers.${col}`, `s.${col}`));
  return `UPDATE customers SET ${sets.join(',\n  ')},
  extra = CASE WHEN s.extra IS NULL THEN customers.extra ELSE ${patch('extra')} END,
  custom = CASE WHEN s.custom IS NULL THEN customers.custom ELSE ${patch('custom')} END,
  last_contact_at = CASE WHEN s.last_contact_at IS NOT NULL AND (customers.last_contact_at IS NULL OR customers.last_contact_at < s.last_contact_at)
                         THEN s.last_contact_at ELSE customers.last_contact_at END,
  ${MARKERS.map((m) => `${m} = coalesce(customers.${m}, s.${m})`).join(',\n  ')},
  updated_at = @now
  FROM (SELECT p.target, st.* FROM temp.import_plan p JOIN temp.import_stage st ON st.seq = p.seq WHERE p.action = 'update') AS s
  WHERE s.target = customers.id`;
}

const INSERT_COLUMNS = ['id', 'uid', ...F, 'extra', 'created_at', 'updated_at', 'last_contact_at', 'custom', ...MARKERS];
// New customers get ids after the current last one, in file order: base + rank among the inserted rows.
// A row of carnet's own export keeps its uid in a new database (the first row of the file with it; one no customer has).
export const insertSql = (d: Dialect) => `INSERT INTO customers (${INSERT_COLUMNS.join(', ')})
  SELECT i.id, CASE WHEN s.own_uid IS NOT NULL AND s.seq IN (SELECT seq FROM temp.import_kept_uids) THEN s.own_uid ELSE @uidPrefix || ${d.hex12('i.id')} END, ${F.map((c) => (c === COLUMN.source ? `coalesce(s.${COLUMN.source}, @defaultSource)` : `s.${c}`)).join(', ')},
         coalesce(s.extra, '{}'), coalesce(s.created_at, @now), @now, s.last_contact_at, coalesce(s.custom, '{}'), ${MARKERS.map((m) => `s.${m}`).join(', ')}
  FROM temp.import_ids i JOIN temp.import_stage s ON s.seq = i.seq WHERE i.inserted = 1 ORDER BY i.seq`;
