/**
 * Which value survives a merge, field by field: the one the person chose,
 * else the fullest spelling of the newest non-empty one (see fuller.ts;
 * records ordered by updated_at). Notes are
 * joined, `extra` is merged key by key, and the e-mails, phones, SIRET and
 * address that lose are kept in extra under "merged.<field>" so that no
 * way to reach the customer is lost.
 */
import type { Customer, CustomerFields } from '../model.js';
import { COMPANION_OF, DERIVED_PROPS, ENTRY_BY_PROP, FULLER_BY_PROP, KEY } from '../fields/catalogue.js';
import { customText } from '../fields/custom.js';
import { fullestIndex } from './fuller.js';
import { CUSTOMER_FIELD_COLUMNS, CUSTOMER_FIELD_KEYS, type CustomerFieldKey } from '../../db/rows.js';

/** Fields computed from another one: they travel with it. */
const COMPANIONS = COMPANION_OF as ReadonlyMap<CustomerFieldKey, CustomerFieldKey>;
/** The fields a person may choose for: every editable one. */
export const CHOOSABLE_FIELDS = CUSTOMER_FIELD_KEYS.filter((k) => k !== 'extra' && !DERIVED_PROPS.has(k));
/** Losing values of these are kept in extra: they are ways to reach or identify the customer (the catalogue's merge: 'keepLosers'). */
const KEEP_LOSERS: ReadonlySet<CustomerFieldKey> = new Set(CHOOSABLE_FIELDS.filter((k) => ENTRY_BY_PROP.get(k)?.merge === 'keepLosers'));
/** Free texts: every record's value is kept, joined (the catalogue's merge: 'join'). */
const JOINED: ReadonlySet<CustomerFieldKey> = new Set(CHOOSABLE_FIELDS.filter((k) => ENTRY_BY_PROP.get(k)?.merge === 'join'));

/** Field (camelCase or column name) → customer id whose value wins. */
export type FieldChoices = Partial<Record<string, number>>;

const empty = (v: unknown): boolean => v === null || v === undefined || v === '';

export function newestFirst(records: readonly Customer[]): Customer[] {
  return [...records].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : b.id - a.id));
}

/** Resolves a field name as a person types it (the catalogue key or the camelCase property). */
export function fieldKey(name: string): CustomerFieldKey | undefined {
  if ((CHOOSABLE_FIELDS as string[]).includes(name)) return name as CustomerFieldKey;
  return CHOOSABLE_FIELDS.find((k) => CUSTOMER_FIELD_COLUMNS[k] === name);
}

export interface MergedFields {
  fields: CustomerFields;
  /** Values of the user's own fields (carnet field add), merged like the built-in ones. */
  custom: Customer['custom'];
  /** Fields whose value came from a person's choice. */
  chosen: string[];
}

export function mergeFields(records: readonly Customer[], choices: FieldChoices = {}): MergedFields {
  const ordered = newestFirst(records);
  const byId = new Map(records.map((r) => [r.id, r]));
  const newest = ordered[0];
  if (!newest) throw new Error('nothing to merge');
  const out = { ...newest } as CustomerFields & Record<string, unknown>;
  const extra: Record<string, string> = {};
  const chosen: string[] = [];
  for (const key of CHOOSABLE_FIELDS) {
    const choice = Object.entries(choices).find(([k]) => fieldKey(k) === key)?.[1];
    let from: Customer | undefined;
    if (choice !== undefined && byId.has(choice)) {
      from = byId.get(choice);
      chosen.push(CUSTOMER_FIELD_COLUMNS[key]);
    } else if (JOINED.has(key)) {
      const texts = [...new Set(ordered.map((r) => r[key]).filter((n): n is string => typeof n === 'string' && !empty(n)))];
      (out as Record<string, unknown>)[key] = texts.length > 0 ? texts.join('\n\n') : null;
      continue;
    } else if (key === KEY.status) {
      // prospect is the default every file starts with: a status someone set says more.
      from = ordered.find((r) => r.status !== 'prospect') ?? newest;
    } else {
      const kind = FULLER_BY_PROP.get(key);
      const filled = ordered.filter((r) => !empty(r[key]));
      from = kind ? filled[fullestIndex(kind, filled.map((r) => String(r[key])))] : filled[0];
      from ??= newest;
    }
    if (!from) continue;
    (out as Record<string, unknown>)[key] = from[key];
    const companion = COMPANIONS.get(key);
    if (companion) (out as Record<string, unknown>)[companion] = from[companion];
    if (KEEP_LOSERS.has(key)) {
      const won = from[key];
      const losers = [...new Set(ordered.map((r) => r[key]).filter((v) => !empty(v) && v !== won))];
      if (losers.length > 0) extra[`merged.${CUSTOMER_FIELD_COLUMNS[key]}`] = losers.join(' | ');
    }
  }
  // extra: oldest first so that newer values overwrite; an overwritten value is kept under merged.<key>.
  const merged: Record<string, string> = {};
  for (const r of [...ordered].reverse()) {
    for (const [k, v] of Object.entries(r.extra)) {
      if (merged[k] !== undefined && merged[k] !== v && !k.startsWith('merged.')) merged[`merged.${k}`] = merged[k];
      merged[k] = k.startsWith('merged.') && merged[k] !== undefined && merged[k] !== v ? `${merged[k]} | ${v}` : v;
    }
  }
  const custom = mergeCustom(ordered, extra);
  out.extra = { ...merged, ...extra };
  const fields = {} as Record<string, unknown>;
  for (const k of CUSTOMER_FIELD_KEYS) fields[k] = out[k];
  return { fields: fields as unknown as CustomerFields, custom, chosen };
}

/**
 * Fields of the user's own: the newest record with a value gives it, as for
 * a built-in field; a different value of an older record is not lost but kept
 * in extra under merged.<key> (undo restores every record as it was).
 */
function mergeCustom(ordered: readonly Customer[], extra: Record<string, string>): Customer['custom'] {
  const out: Customer['custom'] = {};
  const losers = new Map<string, Set<string>>();
  for (const r of ordered) {
    for (const [k, v] of Object.entries(r.custom ?? {})) {
      if (v === null || v === '') continue;
      if (!(k in out)) out[k] = v;
      else if (out[k] !== v) losers.set(k, (losers.get(k) ?? new Set()).add(customText(v) ?? ''));
    }
  }
  for (const [k, vs] of losers) extra[`merged.${k}`] = [...vs].join(' | ');
  return out;
}
