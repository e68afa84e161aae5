import { createHash } from 'node:crypto';
import { STAGE_FIELD_COLUMNS } from '../../db/repositories/import-columns.js';
import type { CustomerFields } from '../model.js';
import type { BuiltCustomer } from './row.js';

/**
 * The shape of a staged customer row, shared by the threads that build rows
 * and the repository that stores them: a flat array per row, in this column
 * order, so that a whole batch crosses from a worker as one JSON string.
 */
export { STAGE_COLUMNS, STAGE_WIDTH, SEQ_PER_CHUNK } from '../../db/repositories/import-columns.js';

/** The field columns of a staged row, written out (one object shape, no keyed lookups: this runs a million times). */
function pushFields(out: (string | number | null)[], f: CustomerFields): void {
  out.push(
    f.kind, f.civility, f.firstName, f.lastName, f.companyName, f.legalForm, f.siret, f.vatNumber, f.sector, f.jobTitle,
    f.email, f.emailNorm, f.phone, f.phoneE164, f.mobile, f.mobileE164, f.addressLine1, f.addressLine2, f.postalCode, f.city,
    f.country, f.birthDate, f.website, f.owner, f.region, f.status, f.source, f.externalId, f.externalSource, f.notes,
  );
}
// pushFields must follow the stage layout: checked once at load.
{
  const probe: (string | number | null)[] = [];
  pushFields(probe, Object.fromEntries(STAGE_FIELD_COLUMNS.map((c) => [c.replace(/_([a-z0-9])/g, (_m, x: string) => x.toUpperCase()).replace('e164', 'E164'), c])) as unknown as CustomerFields);
  if (probe.some((v, i) => v !== STAGE_FIELD_COLUMNS[i])) throw new Error('pushFields is out of step with STAGE_FIELD_COLUMNS');
}

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
  out.push(extra, row.createdAt, row.lastContactAt);
  if (ikey === null) {
    // Keyless rows: only a row identical in every given value is the same customer.
    const h = createHash('sha1');
    for (let i = start; i < out.length; i++) h.update(`${out[i] ?? ''}\u0001`);
    h.update(row.categories.join('\u0001'));
    ikey = `f\u0001${h.digest('hex')}`;
  }
  out[start - 2] = ikey;
}
