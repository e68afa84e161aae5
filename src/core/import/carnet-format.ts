import { fieldOf, FIELDS, ENTRY_BY_KEY } from '../fields/catalogue.js';
import { lookupField } from '../filter/fields.js';
import type { Target } from './targets.js';
import type { SynonymHit } from './synonyms.js';

/**
 * carnet's own export (`carnet export`, its default columns or any
 * --columns subset with uid; CSV, TSV, xlsx, ods): recognised from its
 * header and read back as itself, so that a file carnet wrote never comes
 * back as new people. A preset rather than "exact catalogue keys first" for
 * every file: `id` is carnet's row number here but a customer number in a
 * shop's spreadsheet, so only a header carnet itself wrote may read it so.
 */

/** Columns of the default export that are no catalogue field, and what import does with them. */
const OWN_COLUMNS: Readonly<Record<string, Target>> = {
  // The row number of the database it came from: meaningless in another one, and never an external id.
  id: { t: 'ignore' },
  uid: { t: 'ownUid' },
  extra: { t: 'extraJson' },
  created_at: { t: 'createdAt' },
  last_contact_at: { t: 'lastContactAt' },
  // Written by carnet on every change: the importing database keeps its own.
  updated_at: { t: 'ignore' },
  restricted_at: { t: 'marker', column: 'restricted_at' },
  archived_at: { t: 'marker', column: 'archived_at' },
  categories: { t: 'categories' },
};

/**
 * A header row carnet wrote: a `uid` column and at least one other column
 * named exactly as carnet names it (lower-case snake_case: "email", not the
 * "EMAIL" of a vCard reader or Brevo).
 */
export function looksLikeCarnet(headers: readonly string[]): boolean {
  const names = headers.map((h) => h.replace(/^\ufeff/, '').trim());
  if (!names.includes('uid')) return false;
  return names.some((n) => n !== 'uid' && (ENTRY_BY_KEY.has(n) || n in OWN_COLUMNS));
}

/**
 * What a column of carnet's export feeds. A derived column (a phone's E.164 form)
 * is ignored when its field's column is there (it is recomputed from it),
 * and feeds that field otherwise (--columns uid and a mobile's E.164 column). `extra.KEY`
 * (export --columns extra.KEY) goes back under KEY.
 */
export function carnetHit(header: string, allHeaders: ReadonlySet<string>): SynonymHit | null {
  const name = header.replace(/^\ufeff/, '').trim();
  const hit = (target: Target): SynonymHit => ({ target, rank: 0, phoneAuto: false, group: null });
  if (name.startsWith('extra.') && name.length > 6) return hit({ t: 'extra', name: name.slice(6) });
  const own = OWN_COLUMNS[name];
  if (own) return hit(own);
  const e = ENTRY_BY_KEY.get(name);
  // A fact computed from other tables (export --columns department,revenue…): the importing database computes its own.
  if (!e) return lookupField(name) ? hit({ t: 'ignore' }) : null;
  if (e.derivedFrom === undefined) return hit({ t: 'field', field: fieldOf(e) });
  const source = ENTRY_BY_KEY.get(e.derivedFrom);
  if (!source) return null;
  return allHeaders.has(source.key) ? hit({ t: 'ignore' }) : { ...hit({ t: 'field', field: fieldOf(source) }), rank: 1 };
}

/** Every column name carnet's export may write that import reads (for tests and docs). */
export const CARNET_COLUMNS: readonly string[] = [...FIELDS.map((e) => e.key), ...Object.keys(OWN_COLUMNS)];
