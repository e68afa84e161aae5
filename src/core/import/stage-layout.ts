import { createHash } from 'node:crypto';
import { STAGE_FIELD_COLUMNS, STAGE_WIDTH } from '../../db/repositories/import-columns.js';
import type { CustomerFields } from '../model.js';
import { FIELDS } from '../fields/catalogue.js';
import type { BuiltCustomer } from './row.js';

/**
 * The shape of a staged customer row, shared by the threads that build rows
 * and the repository that stores them: a flat array per row, in this column
 * order, so that a whole batch crosses from a worker as one string and two typed arrays (batch-wire.ts).
 */
export { STAGE_COLUMNS, STAGE_WIDTH, SEQ_PER_CHUNK } from '../../db/repositories/import-columns.js';

/**
 * Writes the field columns of a staged row from index 4, in stage order.
 * Compiled once from the catalogue into straight-line code (one object
 * shape, no keyed lookups: this runs a million times per import).
 */
const putFields = new Function('out', 'f', FIELDS.map((e, i) => `out[${i + 4}] = f.${e.prop};`).join('\n')) as (out: StagedRow, f: CustomerFields) => void;
// The stage layout is the catalogue's order too: checked once at load.
if (FIELDS.some((e, i) => STAGE_FIELD_COLUMNS[i] !== e.key)) throw new Error('STAGE_FIELD_COLUMNS is out of step with the catalogue');
const AFTER_FIELDS = 4 + FIELDS.length;

function hasAny(extra: Record<string, string>): boolean {
  for (const _k in extra) return true;
  return false;
}

export type StagedRow = (string | number | null)[];

/**
 * A built customer as its staged row. One small array per row, not values
 * appended to one flat array per batch: a batch's flat array (~18,000 values)
 * lives in V8's large-object space, where every store of a fresh string
 * takes the write barrier's slow path — 2.6 µs a row against 0.3 µs.
 * A row with no key gets one from all its values (identical rows meet).
 */
export function packCustomer(seq: number, line: number, row: BuiltCustomer): StagedRow {
  const f = row.fields;
  const out: StagedRow = new Array<string | number | null>(STAGE_WIDTH);
  out[0] = seq;
  out[1] = line;
  out[3] = row.mask;
  putFields(out, f);
  let at = AFTER_FIELDS;
  out[at++] = hasAny(f.extra) ? JSON.stringify(f.extra) : null;
  out[at++] = row.createdAt;
  out[at++] = row.lastContactAt;
  out[at++] = row.custom === null ? null : JSON.stringify(row.custom);
  out[at++] = row.carnet.ownUid;
  out[at++] = row.carnet.restrictedAt;
  out[at++] = row.carnet.archivedAt;
  let ikey = row.ikey;
  if (ikey === null) {
    // Keyless rows: only a row identical in every given value is the same customer.
    const h = createHash('sha1');
    for (let i = 4; i < out.length; i++) h.update(`${out[i] ?? ''}\u0001`);
    h.update(row.categories.join('\u0001'));
    ikey = `f\u0001${h.digest('hex')}`;
  }
  out[2] = ikey;
  return out;
}
