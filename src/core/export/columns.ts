import { UsageError } from '../errors.js';
import type { Channel } from '../model.js';
import { lookupField, suggestField } from '../filter/fields.js';
import { ENTRY_BY_KEY, KEY, FIELDS, type ExportPresetName } from '../fields/catalogue.js';
import { customKey, customText, OWN_FIELDS_COLUMN, type CustomFieldDef } from '../fields/custom.js';
import { CellKind } from '../../io/write-csv.js';
import type { SourceKey } from '../../db/repositories/export.js';

/**
 * An output column: its header, how its cells are written, and where its
 * value comes from — one source read as is, or several combined by
 * `compute` (presets: an address in one cell, phone labels…).
 */
export interface OutputColumn {
  header: string;
  kind: CellKind;
  sources: readonly SourceKey[];
  compute?: (values: readonly unknown[]) => unknown;
}

/** A column read straight from one source. */
export function direct(header: string, source: SourceKey, kind: CellKind = CellKind.text): OutputColumn {
  return { header, kind, sources: [source] };
}

/** A column combined from several sources. */
export function computed(header: string, sources: readonly SourceKey[], compute: (values: readonly unknown[]) => unknown, kind: CellKind = CellKind.text): OutputColumn {
  return { header, kind, sources, compute };
}

/** Sources that are no catalogue field (a contact's columns, the computed phone columns) and their channels. */
const OTHER_CHANNELS: Readonly<Record<string, readonly Channel[]>> = {
  [`ct.${KEY.email}`]: ['email'],
  '@landline': ['phone'],
  '@sms': ['sms'],
  // A contact's one phone may be a mobile: it serves both.
  [`ct.${KEY.phone}`]: ['sms', 'phone'],
  [`ct.${KEY.phoneE164}`]: ['sms', 'phone'],
};

/** The channel whose contact data a source holds (the catalogue's `channels`): with --for, data of a channel not covered is left empty. */
export function channelsOfSource(key: SourceKey): readonly Channel[] {
  return ENTRY_BY_KEY.get(key)?.channels ?? OTHER_CHANNELS[key] ?? [];
}

const KIND_OF: Readonly<Record<string, CellKind>> = {
  id: CellKind.number,
  revenue: CellKind.number,
  orders: CellKind.number,
  unpaid_cents: CellKind.number,
  ...Object.fromEntries(FIELDS.filter((e) => e.phone).map((e) => [e.key, CellKind.phone])),
  extra: CellKind.json,
};

/** The kind of cell a column of the customer file is written as. */
export function kindOf(column: string): CellKind {
  return KIND_OF[column] ?? CellKind.text;
}

/**
 * Without --columns: the customer file as stored (every column of the
 * customers table but the normalised e-mail, a lower-cased copy of email) plus its
 * categories. Derived facts (revenue, department…) are there for --columns.
 */
export const DEFAULT_COLUMNS: readonly string[] = [
  'id', 'uid', ...FIELDS.filter((e) => !e.hiddenFromExport).map((e) => e.key),
  'extra', 'created_at', 'updated_at', 'last_contact_at', 'restricted_at', 'archived_at', 'categories',
];

/**
 * Turns the names given to --columns into columns: any column of the
 * customer_facts view (the filter's aliases too: cp, ville…), `extra.KEY`
 * for an imported column kept in extra, `categories` (a list) and `name`
 * (the display name). Unknown names are a usage error naming the closest.
 */
export function resolveColumns(names: readonly string[], factColumns: readonly string[], own: OwnColumns = NO_OWN): OutputColumn[] {
  const known = new Set(factColumns);
  const seen = new Set<string>();
  const out: OutputColumn[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const def = own.fields.find((d) => d.key === name.toLowerCase() || customKey(name) === d.key);
    const col = def ? customColumn(def, own.json) : resolveOne(name, known, own.fields.map((d) => d.key));
    if (seen.has(col.header)) throw new UsageError(`column '${col.header}' is given twice in --columns`, 'name each column once');
    seen.add(col.header);
    out.push(col);
  }
  if (out.length === 0) throw new UsageError('--columns names no column', `e.g. --columns ${KEY.email},${KEY.firstName},${KEY.lastName}`);
  return out;
}

function resolveOne(name: string, known: ReadonlySet<string>, ownKeys: readonly string[]): OutputColumn {
  if (/^extra\./i.test(name)) {
    const key = name.slice('extra.'.length);
    if (key === '') throw new UsageError(`'${name}' names no key of extra`, 'write extra.KEY, e.g. extra.fidelite');
    return direct(`extra.${key}`, `extra.${key}`);
  }
  const lower = name.toLowerCase();
  if (lower === 'categories') return direct('categories', '@categories', CellKind.list);
  if (lower === 'name') return direct('name', '@name');
  const canonical = known.has(lower) ? lower : lookupField(lower)?.name;
  if (canonical === undefined || !known.has(canonical)) {
    const guess = suggestField(lower);
    throw new UsageError(
      `unknown column '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`,
      // The fields of one's own by key, not the JSON column that holds them.
      `columns are: ${[...known].filter((c) => c !== KEY.emailNorm && c !== OWN_FIELDS_COLUMN).join(', ')}, name, extra.KEY${ownKeys.length > 0 ? `, and yours: ${ownKeys.join(', ')}` : ''}`,
    );
  }
  return direct(canonical, canonical, kindOf(canonical));
}

/** The columns an export preset writes straight from a field, by the preset's header. */
export function presetColumns(preset: ExportPresetName): ReadonlyMap<string, OutputColumn> {
  const out = new Map<string, OutputColumn>();
  for (const e of FIELDS) {
    const header = e.exportAs?.[preset];
    if (header !== undefined) out.set(header, direct(header, e.key, kindOf(e.key)));
  }
  return out;
}

/** Fields of the user's own that --columns may name, and whether the output is JSON (keys) or a table (names). */
export interface OwnColumns {
  fields: readonly CustomFieldDef[];
  json: boolean;
}
const NO_OWN: OwnColumns = { fields: [], json: false };

/** A field of the user's own: headed by its name in CSV, its key in JSON; dates ISO, yes/no as oui/non (true/false in JSON). */
export function customColumn(def: CustomFieldDef, json: boolean): OutputColumn {
  const header = json ? def.key : def.name;
  const source = `custom.${def.key}`;
  if (def.type === 'bool') return computed(header, [source], ([v]) => (v === null || v === undefined ? null : json ? v === 1 : customText(v === 1)));
  return direct(header, source, def.type === 'number' ? CellKind.number : CellKind.text);
}

/** Columns compiled against the SQL row: which sources to select, and how to make the cells. */
export interface CompiledColumns {
  headers: string[];
  kinds: CellKind[];
  sources: SourceKey[];
  /** Cells from a row; null when the row's first values already are the cells (the fast path). */
  project: ((row: readonly unknown[]) => unknown[]) | null;
}

export function compileColumns(columns: readonly OutputColumn[], extraSources: readonly SourceKey[] = []): CompiledColumns {
  const sources: SourceKey[] = [];
  const index = new Map<SourceKey, number>();
  const at = (s: SourceKey): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = sources.length;
      sources.push(s);
      index.set(s, i);
    }
    return i;
  };
  const plan = columns.map((c) => ({ compute: c.compute, idx: c.sources.map(at) }));
  for (const s of extraSources) at(s);
  const identity = plan.every((p, i) => !p.compute && p.idx.length === 1 && p.idx[0] === i);
  const project = identity
    ? null
    : (row: readonly unknown[]): unknown[] =>
        plan.map((p) => (p.compute ? p.compute(p.idx.map((i) => row[i])) : row[p.idx[0] as number]));
  return { headers: columns.map((c) => c.header), kinds: columns.map((c) => c.kind), sources, project };
}
