import { FIELD_OFFSET, STAGE_FIELD_COLUMNS, bitOf } from '../../db/repositories/import-columns.js';
import type { StagedValue } from '../../db/repositories/import.js';

const MASK = 3;
const EXTRA = FIELD_OFFSET + STAGE_FIELD_COLUMNS.length;
const CREATED = EXTRA + 1;
const LAST_CONTACT = EXTRA + 2;
const CUSTOM = EXTRA + 3;
/** carnet's own export: own_uid, restricted_at, archived_at (the first row's uid; the earliest marker). */
const CARNET = [EXTRA + 4, EXTRA + 5, EXTRA + 6] as const;
const BITS = STAGE_FIELD_COLUMNS.map(bitOf);

function parseExtra(v: StagedValue): Record<string, string> {
  return typeof v === 'string' ? (JSON.parse(v) as Record<string, string>) : {};
}

/**
 * Rows of one file that are the same customer, merged in file order: a
 * later row's non-empty values win, its extra keys are added, the latest
 * last-contact date is kept. The first row keeps its place (seq, line).
 */
export function mergeStagedRows(rows: readonly StagedValue[][]): StagedValue[] {
  const [first, ...later] = rows;
  if (!first) throw new Error('nothing to merge');
  const out = first.slice();
  let extra = parseExtra(out[EXTRA] ?? null);
  let custom: Record<string, unknown> = parseExtra(out[CUSTOM] ?? null);
  for (const r of later) {
    const mask = Number(r[MASK] ?? 0);
    BITS.forEach((bit, i) => {
      if ((mask & bit) !== 0) out[FIELD_OFFSET + i] = r[FIELD_OFFSET + i] ?? null;
    });
    out[MASK] = Number(out[MASK] ?? 0) | mask;
    extra = { ...extra, ...parseExtra(r[EXTRA] ?? null) };
    custom = { ...custom, ...parseExtra(r[CUSTOM] ?? null) };
    if (r[CREATED] !== null && r[CREATED] !== undefined) out[CREATED] = r[CREATED];
    const lc = r[LAST_CONTACT];
    if (typeof lc === 'string' && (typeof out[LAST_CONTACT] !== 'string' || lc > String(out[LAST_CONTACT]))) out[LAST_CONTACT] = lc;
    CARNET.forEach((at, i) => {
      const v = r[at];
      if (typeof v === 'string' && (typeof out[at] !== 'string' || (i > 0 && v < String(out[at])))) out[at] = v;
    });
  }
  out[EXTRA] = Object.keys(extra).length > 0 ? JSON.stringify(extra) : null;
  out[CUSTOM] = Object.keys(custom).length > 0 ? JSON.stringify(custom) : null;
  return out;
}
