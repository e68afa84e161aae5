import type { Customer } from '../model.js';
import { KEY, PHONE_PROPS } from '../fields/catalogue.js';
import { CUSTOMER_FIELD_COLUMNS, CUSTOMER_FIELD_KEYS } from '../../db/rows.js';

/** The name a person would use for this file: the company, else the person, else the e-mail. */
export function displayName(c: {
  kind?: string | null;
  companyName?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}): string {
  const person = [c.firstName, c.lastName].filter((s) => s && s.length > 0).join(' ');
  if (c.kind === 'company' && c.companyName) return c.companyName;
  return person || c.companyName || c.email || c.phone || '(no name)';
}

/** The display name of a row that has the customers table's column names (a record, a repository's row). */
export function displayNameOfRecord(row: object, phone?: string | null): string {
  const r = row as Record<string, unknown>;
  const s = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : null);
  return displayName({ kind: s(KEY.kind), companyName: s(KEY.companyName), firstName: s(KEY.firstName), lastName: s(KEY.lastName), email: s(KEY.email), phone: phone === undefined ? s(KEY.phone) : phone });
}

/** The number a listing shows for a row with the customers table's column names: the first typed phone field that is not null (PHONE_PROPS' order). */
export function phoneOfRecord(row: object): string | null {
  const r = row as Record<string, unknown>;
  for (const p of PHONE_PROPS) {
    const v = r[KEY[p]];
    if (typeof v === 'string') return v;
  }
  return null;
}

/** A customer as scripts see it: the table's column names (snake_case), extra as an object. */
export function customerRecord(c: Customer): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, uid: c.uid };
  for (const key of CUSTOMER_FIELD_KEYS) out[CUSTOMER_FIELD_COLUMNS[key]] = c[key];
  // Fields of the user's own, by key, after extra.
  for (const [k, v] of Object.entries(c.custom ?? {})) if (!(k in out)) out[k] = v;
  out.created_at = c.createdAt;
  out.updated_at = c.updatedAt;
  out.last_contact_at = c.lastContactAt;
  out.restricted_at = c.restrictedAt;
  out.archived_at = c.archivedAt;
  return out;
}
