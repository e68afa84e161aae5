import { createHash } from 'node:crypto';
import { STAGE_FIELD_COLUMNS } from '../../db/repositories/import-columns.js';
import type { CustomerFields } from '../model.js';
import { FIELDS } from '../fields/catalogue.js';
import type { BuiltCustomer } from './row.js';

/**
 * The shape of a staged customer row, shared by the threads that build rows
 * and the repository that stores them: a flat array per row, in this column
 * order, so that a whole batch crosses from a worker as one JSON string.
 */
export { STAGE_COLUMNS, STAGE_WIDTH, SEQ_PER_CHUNK } from '../../db/repositories/import-columns.js';

/**
 * The field columns of a staged row, in stage order. Compiled once from the
 * catalogue into straight-line code (one object shape, no keyed lookups:
 * this runs a million times per import).
 */
const pushFields = new Function('out', 'f', `out.push(${FIELDS.map((e) => `f.${e.prop}`).join(', ')});`) as (out: (string | number | null)[], f: CustomerFields) => void;
// The stage layout is the catalogue's order too: checked once at load.
if (FIELDS.some((e, i) => STAGE_FIELD_COLUMNS[i] !== e.key)) throw new Error('STAGE_FIELD_COLUMNS is out of step with the catalogue');

function hasAny(extra: Record<string, string>): boolean {
  for (const _k in extra) return true;
  return false;
}

/** Appends a built customer to a flat batch. A row with no key gets one from all its values (identical rows meet). */
export function packCustomer(out: (string | number | null)[], seq: number, line: number, row: BuiltCustomer): void {
  const f = row.fields;
  const extra = hasAny(f.extra) ? JSON.stringify(f.extra) : null;
  let ikey = row.ikey;
  out.push(seq, line, null, row.mask);
  const start = out.length;
  pushFields(out, f);
  out.push(extra, row.createdAt, row.lastContactAt, row.custom === null ? null : JSON.stringify(row.custom), row.carnet.ownUid, row.carnet.restrictedAt, row.carnet.archivedAt);
  if (ikey === null) {
    // Keyless rows: only a row identical in every given value is the same customer.
    const h = createHash('sha1');
    for (let i = start; i < out.length; i++) h.update(`${out[i] ?? ''}\u0001`);
    h.update(row.categories.join('\u0001'));
    ikey = `f\u0001${h.digest('hex')}`;
  }
  out[start - 2] = ikey;
}
