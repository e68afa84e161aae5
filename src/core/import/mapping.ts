import { UsageError } from '../errors.js';
import { vcardXOf, type CustomFieldDef } from '../fields/custom.js';
import type { Channel, CustomerFieldName } from '../model.js';
import { normaliseEmail } from '../normalise/index.js';
import { detectFormat, groupRank, PRESET_TABLES, structuralHit, type Format } from './presets.js';
import { GENERIC_TABLE, type SynonymHit } from './synonyms.js';
import { carnetHit } from './carnet-format.js';
import { headerKey, type Target } from './targets.js';
import { KEY } from '../fields/catalogue.js';

/**
 * How the columns of one file feed a customer: built once from the header
 * row (synonyms, the export's preset, --map), then applied to every row by
 * the row builder — in worker threads, so it is plain data.
 */
export interface FieldSlot {
  column: number;
  phoneAuto: boolean;
  /** Address group (home, work, g1…) or null for a plain address column. */
  group: string | null;
  /** Google's "Phone n - Type" column, whose label may say the number is a mobile. */
  labelColumn: number | null;
}

export interface MappingPlan {
  /** Column names as shown (trimmed, made unique: "Email", "Email (2)"). */
  headers: string[];
  /** For each field, the columns feeding it, best first. */
  fields: Partial<Record<CustomerFieldName, FieldSlot[]>>;
  extra: number[];
  categories: number[];
  consents: { column: number; channel: Channel; optOut: boolean }[];
  fullName: number[];
  streetNumber: number[];
  /** Mailchimp's one-cell address ("street  line 2  city  state  zip  country"). */
  combinedAddress: number[];
  createdAt: number[];
  lastContactAt: number[];
  /** carnet's own export: the uid column, its extra column (JSON), its restriction and archive dates. */
  ownUid: number[];
  extraJson: number[];
  restrictedAt: number[];
  archivedAt: number[];
  /** Thunderbird's birth date in three columns (year, month, day). */
  birthParts: { y: number | null; m: number | null; d: number | null };
  /** Extra keys chosen with --map col=extra.NAME. */
  extraNames: Record<number, string>;
  /** True when the file has no header row: the first record is data. */
  headerless: boolean;
  /** Columns feeding fields of the user's own, with their definition (plain data: it crosses to the worker threads). */
  custom: { column: number; def: CustomFieldDef }[];
}

export interface ColumnUse {
  column: string;
  use: string;
  how: 'map' | 'preset' | 'synonym' | 'content' | 'extra' | 'ignored';
}

export interface MapEntry {
  /** A header name, or a 1-based column number. */
  column: string;
  target: Target;
}

const BIRTH_PARTS: Readonly<Record<string, 'y' | 'm' | 'd'>> = {
  birthyear: 'y', birthmonth: 'm', birthday: 'd', anneedenaissance: 'y', moisdenaissance: 'm', jourdenaissance: 'd',
};

/** Columns written by carnet in a rejects file: ignored when it is imported again. */
const REJECT_COLUMN = /^carnet_(line|field|reason)$/;

function describe(t: Target): string {
  switch (t.t) {
    case 'field':
      return t.field.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
    case 'extra':
      return t.name ? `extra.${t.name}` : 'extra';
    case 'custom':
      return t.key;
    case 'consent':
      return t.optOut ? `opt-out (${t.channel})` : `consent (${t.channel})`;
    case 'fullName':
      return 'full name (split into first and last)';
    case 'streetNumber':
      return 'street number (put before the address)';
    case 'combinedAddress':
      return 'address (street, city, state, postal code, country in one cell)';
    case 'createdAt':
      return 'created_at';
    case 'lastContactAt':
      return 'last_contact_at';
    case 'birthPart':
      return `${KEY.birthDate} (${t.part === 'y' ? 'year' : t.part === 'm' ? 'month' : 'day'})`;
    case 'ownUid':
      return 'uid (the customer it was exported from)';
    case 'extraJson':
      return 'extra (merged key by key)';
    case 'marker':
      return t.column;
    default:
      return t.t;
  }
}

function uniqueHeaders(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    const base = h.replace(/^\ufeff/, '').trim() || `column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

function findColumn(headers: readonly string[], column: string): number {
  const exact = headers.findIndex((h) => h === column.trim());
  if (exact >= 0) return exact;
  const key = headerKey(column);
  const loose = headers.findIndex((h) => headerKey(h) === key);
  if (loose >= 0) return loose;
  const num = /^#?(\d+)$/.exec(column.trim());
  if (num && Number(num[1]) >= 1 && Number(num[1]) <= headers.length) return Number(num[1]) - 1;
  throw new UsageError(`--map: the file has no column '${column}'`, `its columns are: ${headers.map((h) => `'${h}'`).join(', ')} (or give a column number, 1 to ${headers.length})`);
}

/**
 * A header row that is really data (Thunderbird's "no header" export): one
 * of its cells is an e-mail address, or none of them names anything.
 */
export function looksHeaderless(header: readonly string[]): boolean {
  const knows = header.some((h) => {
    const key = headerKey(h);
    return GENERIC_TABLE.has(key) || structuralHit(key) !== null;
  });
  if (knows) return false;
  return header.some((h) => {
    if (!h.includes('@')) return false;
    try {
      return normaliseEmail(h) !== null;
    } catch {
      return false;
    }
  });
}

/** For a file without a header: the columns whose values are e-mail addresses. */
function emailColumnsByContent(rows: readonly string[][], width: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < width; c++) {
    const values = rows.map((r) => (r[c] ?? '').trim()).filter((v) => v !== '');
    if (values.length === 0) continue;
    const ok = values.filter((v) => v.includes('@') && !/\s/.test(v)).length;
    if (ok / values.length >= 0.8) out.push(c);
  }
  return out;
}

export interface MappingResult {
  plan: MappingPlan;
  format: Format | null;
  columns: ColumnUse[];
}

/**
 * Decides what each column feeds. Order of authority: --map, then the
 * preset of the export (given with --format or recognised), then the
 * structure of the header (Google's numbered columns, grouped addresses),
 * then the generic synonyms; anything else goes to extra.
 */
export function buildMapping(
  rawHeaders: readonly string[],
  opts: { format?: Format | 'auto'; maps?: readonly MapEntry[]; sampleRows?: readonly string[][]; custom?: readonly CustomFieldDef[] } = {},
): MappingResult {
  const headerless = looksHeaderless(rawHeaders) && !(opts.maps ?? []).some((m) => rawHeaders.some((h) => h.trim() === m.column.trim()));
  const headers = headerless ? rawHeaders.map((_h, i) => `column ${i + 1}`) : uniqueHeaders(rawHeaders);
  const format = opts.format && opts.format !== 'auto' ? opts.format : headerless ? null : detectFormat(headers);
  const preset = format && format !== 'carnet' ? PRESET_TABLES[format] : undefined;
  const carnetNames = new Set(headers.map((h) => h.trim()));

  const chosen = new Map<number, { target: Target; hit?: SynonymHit & { labelKey?: string }; how: ColumnUse['how'] }>();
  const allKeys = new Set(headers.map(headerKey));
  const ownFields = new Map<string, CustomFieldDef>();
  for (const d of opts.custom ?? []) for (const k of [headerKey(d.name), headerKey(d.key), headerKey(vcardXOf(d.key))]) if (!ownFields.has(k)) ownFields.set(k, d);
  // "Birth Day" is a birthday, unless the file also has a year and a month column (Thunderbird).
  const splitBirth = (allKeys.has('birthyear') && allKeys.has('birthmonth')) || (allKeys.has('anneedenaissance') && allKeys.has('moisdenaissance'));
  for (const m of opts.maps ?? []) chosen.set(findColumn(headers, m.column), { target: m.target, how: 'map' });
  if (headerless) {
    for (const c of emailColumnsByContent([rawHeaders.slice(), ...(opts.sampleRows ?? [])], headers.length)) {
      if (!chosen.has(c)) chosen.set(c, { target: { t: 'field', field: KEY.email }, how: 'content' });
    }
  }
  headers.forEach((h, i) => {
    if (chosen.has(i)) return;
    // Matched on the header as written ("Email", not the "Email (2)" shown for a repeated one).
    const key = headerKey(rawHeaders[i] ?? h);
    if (REJECT_COLUMN.test(h)) return void chosen.set(i, { target: { t: 'ignore' }, how: 'ignored' });
    // A field of the user's own, by its name or its key: before the synonyms, the user named it.
    const own = ownFields.get(key);
    if (own) return void chosen.set(i, { target: { t: 'custom', key: own.key }, how: 'synonym' });
    const part = splitBirth ? BIRTH_PARTS[key] : undefined;
    if (part) return void chosen.set(i, { target: { t: 'birthPart', part }, how: 'synonym' });
    const p = format === 'carnet' ? carnetHit(rawHeaders[i] ?? h, carnetNames) : preset?.get(key);
    if (p) return void chosen.set(i, { target: p.target, hit: p, how: 'preset' });
    const s = headerless ? null : structuralHit(key);
    if (s) return void chosen.set(i, { target: s.target, hit: s, how: 'synonym' });
    const g = headerless ? undefined : GENERIC_TABLE.get(key);
    if (g) return void chosen.set(i, { target: g.target, hit: g, how: 'synonym' });
    chosen.set(i, { target: { t: 'extra' }, how: 'extra' });
  });

  const plan: MappingPlan = {
    headers, fields: {}, extra: [], categories: [], consents: [], fullName: [], streetNumber: [], combinedAddress: [], createdAt: [], lastContactAt: [],
    ownUid: [], extraJson: [], restrictedAt: [], archivedAt: [], birthParts: { y: null, m: null, d: null }, extraNames: {}, headerless, custom: [],
  };
  const ranked: { field: CustomerFieldName; slot: FieldSlot; rank: number }[] = [];
  const keyIndex = new Map(headers.map((h, i) => [headerKey(h), i]));
  const columns: ColumnUse[] = [];
  for (const [i, c] of [...chosen.entries()].sort((a, b) => a[0] - b[0])) {
    const t = c.target;
    columns.push({ column: headers[i] ?? `column ${i + 1}`, use: describe(t), how: c.how });
    switch (t.t) {
      case 'field': {
        const labelKey = c.hit?.labelKey;
        const labelColumn = labelKey ? (keyIndex.get(labelKey) ?? keyIndex.get(labelKey.replace(/type$/, 'label')) ?? null) : null;
        ranked.push({ field: t.field, rank: c.hit?.rank ?? -1, slot: { column: i, phoneAuto: c.hit?.phoneAuto ?? false, group: c.hit?.group ?? null, labelColumn } });
        break;
      }
      case 'custom': {
        const def = (opts.custom ?? []).find((d) => d.key === t.key);
        if (def) plan.custom.push({ column: i, def });
        break;
      }
      case 'extra':
        plan.extra.push(i);
        if (t.name) plan.extraNames[i] = t.name;
        break;
      case 'categories':
        plan.categories.push(i);
        break;
      case 'consent':
        plan.consents.push({ column: i, channel: t.channel, optOut: t.optOut });
        break;
      case 'fullName':
        plan.fullName.push(i);
        break;
      case 'streetNumber':
        plan.streetNumber.push(i);
        break;
      case 'combinedAddress':
        plan.combinedAddress.push(i);
        break;
      case 'createdAt':
        plan.createdAt.push(i);
        break;
      case 'lastContactAt':
        plan.lastContactAt.push(i);
        break;
      case 'birthPart':
        plan.birthParts[t.part] = i;
        break;
      case 'ownUid':
        plan.ownUid.push(i);
        break;
      case 'extraJson':
        plan.extraJson.push(i);
        break;
      case 'marker':
        (t.column === 'restricted_at' ? plan.restrictedAt : plan.archivedAt).push(i);
        break;
      case 'ignore':
        break;
    }
  }
  ranked.sort((a, b) => groupRank(a.slot.group) - groupRank(b.slot.group) || a.rank - b.rank || a.slot.column - b.slot.column);
  for (const r of ranked) (plan.fields[r.field] ??= []).push(r.slot);
  return { plan, format, columns };
}
