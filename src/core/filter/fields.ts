/**
 * The field catalogue: every name the filter language accepts, its type and the
 * column(s) of the `customer_facts` view it reads (the customer fields come from
 * the catalogue). The SQL compiler takes column
 * names from here and nowhere else, so user text can never name a column.
 */

import { KEY, FIELDS } from '../fields/catalogue.js';

/**
 * - `text`: compared case- and accent-insensitively.
 * - `number`: numeric comparisons (revenue is in euros, unpaid_cents in cents).
 * - `date`: ISO-8601 text (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS.sssZ`).
 * - `id`: the integer row id.
 */
export type FieldType = 'text' | 'number' | 'date' | 'id';

export interface FieldDef {
  /** Canonical name, as written in the AST. */
  readonly name: string;
  readonly type: FieldType;
  /** View columns; more than one means "any of them" (the `name` shortcut). */
  readonly columns: readonly string[];
  readonly description: string;
}

function field(name: string, type: FieldType, description: string, columns: readonly string[] = [name]): FieldDef {
  return { name, type, columns, description };
}

/** The catalogue's fields, with the `name` shortcut after the company name. */
function catalogueFields(): FieldDef[] {
  const out: FieldDef[] = [];
  for (const e of FIELDS) {
    out.push(field(e.key, e.type, e.label));
    if (e.key === KEY.companyName) out.push(field('name', 'text', 'first, last or company name', [KEY.firstName, KEY.lastName, KEY.companyName]));
  }
  return out;
}

const DEFINITIONS: readonly FieldDef[] = [
  field('id', 'id', 'row id'),
  field('uid', 'text', 'stable customer id'),
  ...catalogueFields(),
  field('created_at', 'date', 'when the file was created'),
  field('updated_at', 'date', 'last change'),
  field('last_contact_at', 'date', 'last contact from the customer'),
  field('restricted_at', 'date', 'when processing was restricted (RGPD)'),
  field('archived_at', 'date', 'when the file was archived'),
  field('department', 'text', 'French département from the postal code (69, 2A, 974…)'),
  field('revenue', 'number', 'invoiced revenue, in euros'),
  field('orders', 'number', 'number of orders and invoices'),
  field('last_purchase_at', 'date', 'date of the last order or invoice'),
  field('unpaid_cents', 'number', 'unpaid invoices, in cents'),
  field('categories', 'text', 'category names, comma-separated (prefer: category "NAME")'),
];

/** Friendly names people type; mapped to a canonical field at parse time. */
const ALIASES: Readonly<Record<string, string>> = {
  cp: KEY.postalCode,
  zip: KEY.postalCode,
  ville: 'city',
  dept: 'department',
};

const BY_NAME: ReadonlyMap<string, FieldDef> = new Map(DEFINITIONS.map((d) => [d.name, d]));

/** Every canonical field, in catalogue order (for help and error messages). */
export const FILTER_FIELDS: readonly FieldDef[] = DEFINITIONS;

/** The prefix of fields that read an imported column kept in the `extra` JSON. */
export const EXTRA_PREFIX = 'extra.';

/** Case-insensitive, alias-aware lookup of a catalogue field (not `extra.*`). */
export function lookupField(name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return BY_NAME.get(ALIASES[lower] ?? lower);
}

/** Canonical names and aliases, for "known fields" lists. */
export function knownFieldNames(): string[] {
  return [...DEFINITIONS.map((d) => d.name), ...Object.keys(ALIASES)];
}

/**
 * The closest known name to a misspelt one, if it is close enough to be a likely
 * typo (edit distance at most 2, or 1 for short names, to avoid absurd guesses).
 */
export function suggestField(name: string): string | undefined {
  const lower = name.toLowerCase();
  const limit = lower.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of knownFieldNames()) {
    const d = editDistance(lower, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance; names are short, so the O(n·m) table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
