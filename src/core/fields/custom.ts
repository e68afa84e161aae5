/**
 * Fields of the user's own (`carnet field add`): their definition, the key
 * derived from their name, and how a raw value (a CSV cell, a --set value, a
 * value kept in extra) becomes a typed one. Stored per customer in the JSON
 * column `customers.custom` under the key; read in SQL as
 * `json_extract(custom, '$.KEY')` (customFieldSql in src/db).
 */
import { ValidationError } from '../errors.js';
import { cleanText, fold, lookupKey, parseDate } from '../normalise/index.js';

export type CustomType = 'text' | 'number' | 'date' | 'bool' | 'choice';

/** The column of customers (and customer_facts) that holds every field of one's own, as JSON text: never shown as such. */
export const OWN_FIELDS_COLUMN = 'custom';
export const CUSTOM_TYPES: readonly CustomType[] = ['text', 'number', 'date', 'bool', 'choice'];

export interface CustomFieldDef {
  /** lower case, accents folded, anything else `_`: `Canal d'acquisition` → `canal_d_acquisition`. */
  key: string;
  /** As the user named it: CSV/xlsx headers, the register. */
  name: string;
  type: CustomType;
  /** The allowed values of a choice, as written by the user. */
  choices: readonly string[];
}

/** A typed value as stored in the JSON column: numbers and booleans as JSON, dates as YYYY-MM-DD. */
export type CustomValue = string | number | boolean;

/**
 * The vCard property a field of one's own is written as, read back by the
 * import of the card (vCard has no place for it): `canal_d_acquisition` →
 * `X-CARNET-CANAL-D-ACQUISITION`, as the built-in X-CARNET-… properties.
 */
export function vcardXOf(key: string): string {
  return `X-CARNET-${key.toUpperCase().replace(/_/g, '-')}`;
}

/** `Canal d'acquisition` → `canal_d_acquisition`. */
export function customKey(name: string): string {
  return fold(name.trim())
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const YES = new Set(['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x']);
const NO = new Set(['non', 'n', 'no', 'false', 'faux', '0']);

/** A number in French or English notation: `1 234,5`, `1,234.5`, `1234.5`, `-3`. */
function readNumber(s: string, field: string): number {
  const t = s.replace(/[\s\u00a0\u202f']/g, '');
  let n: string;
  const comma = t.lastIndexOf(',');
  const dot = t.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) n = comma > dot ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  else if (comma >= 0) n = (t.match(/,/g) ?? []).length > 1 ? t.replace(/,/g, '') : t.replace(',', '.');
  else n = t;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(n)) throw new ValidationError(field, `'${s}' is not a number`, 'write it like 12, 12.5 or 12,5');
  return Number(n);
}

/** The typed value of a raw one, or null when blank; throws a ValidationError naming the field's key. */
export function readCustomValue(def: CustomFieldDef, raw: string | null | undefined): CustomValue | null {
  const s = cleanText(raw);
  if (s === null) return null;
  switch (def.type) {
    case 'text':
      return s;
    case 'number':
      return readNumber(s, def.key);
    case 'date':
      return parseDate(s, def.key);
    case 'bool': {
      const k = lookupKey(s);
      if (YES.has(k)) return true;
      if (NO.has(k)) return false;
      throw new ValidationError(def.key, `'${s}' is not yes or no`, 'write oui/non, yes/no, true/false or 1/0');
    }
    case 'choice': {
      const k = lookupKey(s);
      const hit = def.choices.find((c) => lookupKey(c) === k);
      if (hit === undefined) throw new ValidationError(def.key, `'${s}' is not one of ${def.choices.join(', ')}`, `use one of them, or add it: carnet field choices ${def.key} "${[...def.choices, s].join(',')}"`);
      return hit;
    }
  }
}

/** A stored value as text (extra, CSV cells): dates stay ISO, booleans are oui/non. */
export function customText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value === true || value === 1) return 'oui';
  if (value === false || value === 0) return 'non';
  return String(value);
}

/** The filter language's type for a field of this type. */
export function filterTypeOf(type: CustomType): 'text' | 'number' | 'date' {
  return type === 'number' || type === 'bool' ? 'number' : type === 'date' ? 'date' : 'text';
}
