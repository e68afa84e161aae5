import { ValidationError } from '../errors.js';
import type { Channel, ConsentState, CustomerFieldName, CustomerFields, CustomerInput } from '../model.js';
import { cleanText, isMobileE164, normaliseCustomer, parseDateTime } from '../normalise/index.js';
import { GIVEN_COLUMNS } from '../../db/repositories/import-columns.js';
import type { FieldSlot, MappingPlan } from './mapping.js';
import { readCategories, readConsent } from './values.js';

/**
 * One CSV record → one normalised customer, through the same
 * normaliseCustomer as `carnet add`. What a demanding user wants from a
 * nightly import decides the rules:
 * - an e-mail or SIRET that fails validation rejects the row (they are
 *   keys: a wrong one merges the wrong people or sends mail nowhere), as
 *   does a row with nothing to identify a customer;
 * - any other value that fails (a birth date with a typo, a phone number,
 *   a postal code, a country, a VAT number) keeps the row: the raw value
 *   goes to extra under its column's name and a warning says so;
 * - values that feed no field go to extra; nothing is dropped.
 * The plan is compiled once per file; a row is a few array walks.
 */

export type KeyMode = 'auto' | 'external_id' | 'siret' | 'email';

export interface RowOptions {
  key: KeyMode;
  /** --source: the namespace of external ids, and the source of new customers. */
  source: string | null;
  /** --category: added to every row. */
  categories: readonly string[];
  /** --country: the country assumed for addresses and phones written without one. */
  defaultCountry: string | null;
}

function camelOf(snake: string): CustomerFieldName {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) as CustomerFieldName;
}

/** The fields a file gives, one bit each: an update only writes the fields whose bit is set. */
export const GIVEN_FIELDS: readonly CustomerFieldName[] = GIVEN_COLUMNS.map(camelOf);
export const BIT: Readonly<Record<CustomerFieldName, number>> = Object.fromEntries(GIVEN_FIELDS.map((f, i) => [f, 2 ** i])) as Record<CustomerFieldName, number>;

export interface ConsentIn {
  channel: Channel;
  state: ConsentState;
  at: string | null;
}

export interface Warning {
  field: string;
  message: string;
}

export interface BuiltCustomer {
  fields: CustomerFields;
  mask: number;
  categories: string[];
  consents: ConsentIn[];
  createdAt: string | null;
  lastContactAt: string | null;
  /** What rows of one file are merged on: the strongest key the row has. */
  ikey: string | null;
  warnings: Warning[];
}

export type RowResult = { ok: true; row: BuiltCustomer } | { ok: false; field: string; reason: string; warnings: Warning[] };

/** Fields whose invalid value is kept in extra with a warning instead of rejecting the row. */
const SOFT = new Set<string>(['kind', 'phone', 'mobile', 'postal_code', 'country', 'birth_date', 'vat_number']);
const MULTI = ' ::: ';
const MOBILE_LABEL = /mobile|cell|portable|gsm/i;
const ADDRESS_FIELDS = new Set<CustomerFieldName>(['addressLine1', 'addressLine2', 'postalCode', 'city', 'region', 'country']);
const KEY_FIELD: Readonly<Record<Exclude<KeyMode, 'auto'>, string>> = { external_id: 'external_id', siret: 'siret', email: 'email' };

function blank(v: string | undefined): boolean {
  if (v === undefined || v === '') return true;
  return v.trim() === '';
}

interface FieldOp {
  /** Index of the field in GIVEN_FIELDS (and in a row's value array). */
  fi: number;
  field: CustomerFieldName;
  slots: readonly FieldSlot[];
  address: boolean;
  phone: boolean;
}

const FI: Readonly<Record<string, number>> = Object.fromEntries(GIVEN_FIELDS.map((f, i) => [f, i]));
const FI_MOBILE = FI.mobile as number;
const FI_PHONE = FI.phone as number;
const FI_FIRST = FI.firstName as number;
const FI_LAST = FI.lastName as number;
const FI_COMPANY = FI.companyName as number;
const FI_ADDRESS1 = FI.addressLine1 as number;
const FI_ADDRESS2 = FI.addressLine2 as number;
const FI_POSTAL = FI.postalCode as number;
const FI_CITY = FI.city as number;
const FI_REGION = FI.region as number;
const FI_COUNTRY = FI.country as number;
const FI_BIRTH = FI.birthDate as number;
const FI_EXTERNAL_ID = FI.externalId as number;
const FI_EXTERNAL_SOURCE = FI.externalSource as number;

type Vals = (string | undefined)[];

/**
 * The CustomerInput of a row's values, written out property by property:
 * one object shape for V8 across a million rows (dynamic keys would make
 * every access megamorphic).
 */
function toInput(v: Vals, extra: Record<string, string>): CustomerInput {
  return {
    kind: v[0], civility: v[1], firstName: v[2], lastName: v[3], companyName: v[4], legalForm: v[5], siret: v[6], vatNumber: v[7],
    sector: v[8], jobTitle: v[9], email: v[10], phone: v[11], mobile: v[12], addressLine1: v[13], addressLine2: v[14], postalCode: v[15],
    city: v[16], country: v[17], birthDate: v[18], website: v[19], owner: v[20], region: v[21], status: v[22], source: v[23],
    externalId: v[24], externalSource: v[25], notes: v[26], extra,
  };
}
// toInput's positions must follow GIVEN_FIELDS: checked once at load, not per row.
if (GIVEN_FIELDS.some((f, i) => Object.keys(toInput([], {}))[i] !== f)) throw new Error('toInput is out of step with GIVEN_COLUMNS');

/** The state of the row being built: reused from row to row. */
class RowState {
  cells: readonly string[] = [];
  vals: Vals = new Array<string | undefined>(GIVEN_FIELDS.length);
  /** Column each field's value came from (-1: none), to name it in extra if it has to go there. */
  from: number[] = new Array<number>(GIVEN_FIELDS.length).fill(-1);
  extra: Record<string, string> = {};
  warnings: Warning[] = [];

  constructor(private readonly names: readonly string[]) {}

  reset(cells: readonly string[]): void {
    this.cells = cells;
    this.vals.fill(undefined);
    this.from.fill(-1);
    this.extra = {};
    this.warnings = [];
  }

  name(column: number): string {
    return this.names[column] ?? `column ${column + 1}`;
  }

  keep(column: number): void {
    const v = this.cells[column];
    if (v !== undefined && v !== '') {
      const t = v.trim();
      if (t !== '') this.extra[this.name(column)] = t;
    }
  }

  set(fi: number, column: number): boolean {
    const cell = this.cells[column];
    if (cell === undefined || cell === '') return false;
    const raw = cell.trim();
    if (raw === '') return false;
    if (this.vals[fi] !== undefined) {
      this.keep(column);
      return false;
    }
    // Google Contacts puts several values in one cell: the first is the field, the whole cell is kept.
    const multi = raw.indexOf(MULTI);
    this.vals[fi] = multi >= 0 ? raw.slice(0, multi) : raw;
    if (multi >= 0) this.keep(column);
    this.from[fi] = column;
    return true;
  }

  /** The first date of these columns; an unreadable one is kept in extra with a warning. */
  date(cols: readonly number[], field: string): string | null {
    for (const c of cols) {
      const raw = this.cells[c];
      if (raw === undefined || blank(raw)) continue;
      try {
        return parseDateTime(raw, field);
      } catch (err) {
        this.keep(c);
        this.warnings.push({ field, message: `${err instanceof Error ? err.message.replace(/^[a-z_0-9]+: /, '') : String(err)} (kept in extra as '${this.name(c)}')` });
      }
    }
    return null;
  }
}

export class CustomerRowBuilder {
  private readonly ops: FieldOp[];
  private readonly groups: boolean;
  private readonly state: RowState;

  constructor(private readonly plan: MappingPlan, private readonly opts: RowOptions) {
    this.ops = (Object.entries(plan.fields) as [CustomerFieldName, FieldSlot[]][]).map(([field, slots]) => ({
      fi: FI[field] as number, field, slots, address: ADDRESS_FIELDS.has(field), phone: field === 'phone',
    }));
    this.groups = this.ops.some((o) => o.address && o.slots.some((s) => s.group !== null));
    this.state = new RowState(plan.headers.map((h, i) => plan.extraNames[i] ?? h));
  }

  private has(field: CustomerFieldName, cells: readonly string[]): boolean {
    return (this.plan.fields[field] ?? []).some((s) => !blank(cells[s.column]));
  }

  /**
   * The address a row takes when the file has several (home, work, Google's
   * Address 1 and 2…): Google's first one, else the home address for a
   * person and the work address for a company (a company name and no
   * person's name), else any other. The others go to extra.
   */
  private chosenGroup(cells: readonly string[]): string | null {
    const filled = new Set<string>();
    for (const op of this.ops) {
      if (!op.address) continue;
      for (const s of op.slots) if (s.group !== null && !blank(cells[s.column])) filled.add(s.group);
    }
    if (filled.size === 0) return null;
    const company = this.has('companyName', cells) && !this.has('firstName', cells) && !this.has('lastName', cells) && this.plan.fullName.every((c) => blank(cells[c]));
    const order = company ? ['g1', 'work', 'home'] : ['g1', 'home', 'work'];
    return order.find((g) => filled.has(g)) ?? [...filled].sort()[0] ?? null;
  }

  build(cells: readonly string[]): RowResult {
    const plan = this.plan;
    if (cells.length > plan.headers.length && cells.slice(plan.headers.length).some((c) => !blank(c))) {
      return {
        ok: false, field: '-', warnings: [],
        reason: `${cells.length} values for ${plan.headers.length} columns — a delimiter inside a value that is not quoted? Quote the value, or check the delimiter`,
      };
    }
    const st = this.state;
    st.reset(cells);
    const vals = st.vals;

    let phoneAuto = false;
    const group = this.groups ? this.chosenGroup(cells) : null;
    for (const op of this.ops) {
      for (const s of op.slots) {
        if (op.address && s.group !== null && s.group !== group) st.keep(s.column);
        else if (!op.phone) st.set(op.fi, s.column);
        else {
          const label = s.labelColumn === null ? '' : (cells[s.labelColumn] ?? '');
          if (label !== '' && MOBILE_LABEL.test(label) && vals[FI_MOBILE] === undefined && st.set(FI_MOBILE, s.column)) continue;
          if (st.set(FI_PHONE, s.column)) phoneAuto = s.phoneAuto && label === '';
        }
      }
    }
    if (plan.fullName.length > 0) this.fullName(st);
    if (plan.combinedAddress.length > 0) this.combinedAddress(st);
    this.pseudo(st);
    const categories = this.categories(cells);
    const consents = plan.consents.length > 0 ? this.consents(st) : [];
    const createdAt = plan.createdAt.length > 0 ? st.date(plan.createdAt, 'created_at') : null;
    const lastContactAt = plan.lastContactAt.length > 0 ? st.date(plan.lastContactAt, 'last_contact_at') : null;
    for (const c of plan.extra) st.keep(c);
    if (vals[FI_EXTERNAL_ID] !== undefined && this.opts.source !== null) vals[FI_EXTERNAL_SOURCE] = this.opts.source;

    const warnings = st.warnings;
    let fields: CustomerFields;
    try {
      fields = normaliseSoftly(st, this.opts.defaultCountry);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const lost = warnings.length > 0 && err.field === 'last_name' ? ` (${warnings.map((w) => `${w.field}: ${w.message}`).join('; ')})` : '';
      return { ok: false, field: err.field, reason: `${err.message.replace(/^[a-z_0-9]+: /, '')}${lost}${err.hint ? ` — ${err.hint}` : ''}`, warnings };
    }
    // A number in a plain "Téléphone" column that is a mobile is the customer's mobile (SMS marketing reads mobile_e164).
    if (phoneAuto && fields.mobile === null && fields.phoneE164 !== null && isMobileE164(fields.phoneE164)) {
      fields.mobile = fields.phone;
      fields.mobileE164 = fields.phoneE164;
      fields.phone = null;
      fields.phoneE164 = null;
      vals[FI_MOBILE] = vals[FI_PHONE];
      vals[FI_PHONE] = undefined;
    }
    let mask = 0;
    for (let i = 0; i < vals.length; i++) if (vals[i] !== undefined) mask += 2 ** i;
    const ikey = identityKey(fields, this.opts.key);
    if (ikey === null && this.opts.key !== 'auto') {
      const name = KEY_FIELD[this.opts.key];
      return { ok: false, field: name, reason: `no ${name.replace('_', ' ')} in this row, and --key ${this.opts.key} matches rows by it`, warnings };
    }
    return { ok: true, row: { fields, mask, categories, consents, createdAt, lastContactAt, ikey, warnings } };
  }

  /** "Loïc Le Gall": the first word is the first name, the rest the last name (particles stay with it). */
  private fullName(st: RowState): void {
    const vals = st.vals;
    for (const c of this.plan.fullName) {
      const v = cleanText(st.cells[c]);
      if (v === null) continue;
      if (vals[FI_FIRST] === undefined && vals[FI_LAST] === undefined && vals[FI_COMPANY] === undefined) {
        const sp = v.indexOf(' ');
        if (sp < 0) vals[FI_LAST] = v;
        else {
          vals[FI_FIRST] = v.slice(0, sp);
          vals[FI_LAST] = v.slice(sp + 1);
        }
      } else if (v !== [vals[FI_FIRST], vals[FI_LAST]].filter(Boolean).join(' ')) st.keep(c);
    }
  }

  /**
   * Mailchimp's one-cell address, read from the end as Mailchimp does:
   * country, postal code, state, city; the first part is the street and
   * anything between is line 2. A state that is a number is the
   * département, which carnet derives from the postal code. A cell that is
   * not in that shape stays whole in extra; fields the file gives in their
   * own columns win.
   */
  private combinedAddress(st: RowState): void {
    const vals = st.vals;
    for (const c of this.plan.combinedAddress) {
      // Split before any cleaning: cleaning folds the double spaces that separate the parts.
      const raw = st.cells[c];
      if (raw === undefined || blank(raw)) continue;
      const parts = raw.split(/\s{2,}/).map((p) => cleanText(p)).filter((p): p is string => p !== null);
      if (parts.length < 4 || vals[FI_ADDRESS1] !== undefined) {
        st.keep(c);
        continue;
      }
      const [line1, ...rest] = parts;
      const country = rest.pop();
      const postal = rest.pop();
      const state = rest.pop();
      const city = rest.pop();
      const give = (fi: number, value: string | undefined): void => {
        if (value === undefined || value === '' || vals[fi] !== undefined) return;
        vals[fi] = value;
        st.from[fi] = c;
      };
      give(FI_ADDRESS1, line1);
      give(FI_ADDRESS2, rest.join(' '));
      give(FI_CITY, city);
      if (state !== undefined && !/^\d[\dAB]?\d?$/.test(state)) give(FI_REGION, state);
      give(FI_POSTAL, postal);
      give(FI_COUNTRY, country);
    }
  }

  /** Thunderbird's three birth date columns, and a street number put before the street. */
  private pseudo(st: RowState): void {
    const { y, m, d } = this.plan.birthParts;
    const cells = st.cells;
    const vals = st.vals;
    if (y !== null && m !== null && d !== null) {
      if (!blank(cells[y]) && !blank(cells[m]) && !blank(cells[d]) && vals[FI_BIRTH] === undefined) {
        vals[FI_BIRTH] = `${(cells[y] ?? '').trim()}-${(cells[m] ?? '').trim().padStart(2, '0')}-${(cells[d] ?? '').trim().padStart(2, '0')}`;
        st.from[FI_BIRTH] = y;
      } else {
        st.keep(y);
        st.keep(m);
        st.keep(d);
      }
    }
    for (const c of this.plan.streetNumber) {
      const v = cleanText(cells[c]);
      if (v === null) continue;
      const street = vals[FI_ADDRESS1];
      if (street !== undefined) vals[FI_ADDRESS1] = `${v} ${street}`;
      else st.keep(c);
    }
  }

  private categories(cells: readonly string[]): string[] {
    const out: string[] = [];
    const add = (name: string) => {
      const low = name.toLowerCase();
      if (!out.some((x) => x.toLowerCase() === low)) out.push(name);
    };
    for (const c of this.plan.categories) {
      const cell = cells[c];
      if (cell !== undefined && cell !== '') for (const name of readCategories(cell)) add(name);
    }
    for (const name of this.opts.categories) add(name);
    return out;
  }

  private consents(st: RowState): ConsentIn[] {
    const out: ConsentIn[] = [];
    for (const k of this.plan.consents) {
      const raw = st.cells[k.column];
      if (raw === undefined || blank(raw) || out.some((c) => c.channel === k.channel)) continue;
      const v = readConsent(raw, k.optOut);
      if (v === undefined) {
        st.keep(k.column);
        st.warnings.push({ field: 'consent', message: `'${raw.trim()}' is not yes, no or a date (kept in extra as '${st.name(k.column)}')` });
      } else if (v !== null) out.push({ channel: k.channel, state: v.state, at: v.at });
    }
    return out;
  }
}

/**
 * normaliseCustomer, retried without a soft field each time one fails:
 * the raw value moves to extra and a warning is recorded.
 */
function normaliseSoftly(st: RowState, defaultCountry: string | null): CustomerFields {
  for (let attempt = 0; ; attempt++) {
    try {
      return normaliseCustomer(toInput(st.vals, st.extra), { defaultCountry });
    } catch (err) {
      if (!(err instanceof ValidationError) || !SOFT.has(err.field) || attempt > 8) throw err;
      const fi = FI[camelOf(err.field)];
      const raw = fi === undefined ? undefined : st.vals[fi];
      if (fi === undefined || raw === undefined) throw err;
      const column = st.from[fi] ?? -1;
      const name = column >= 0 ? st.name(column) : err.field;
      st.extra[name] = raw;
      st.vals[fi] = undefined;
      st.warnings.push({ field: err.field, message: `${err.message.replace(/^[a-z_0-9]+: /, '')} (kept in extra as '${name}')` });
    }
  }
}

function identityKey(f: CustomerFields, mode: KeyMode): string | null {
  switch (mode) {
    case 'external_id':
      return f.externalId === null ? null : `x\u0001${f.externalSource ?? ''}\u0001${f.externalId}`;
    case 'siret':
      return f.siret === null ? null : `s\u0001${f.siret}`;
    case 'email':
      return f.emailNorm === null ? null : `e\u0001${f.emailNorm}`;
    default:
      if (f.externalId !== null) return `x\u0001${f.externalSource ?? ''}\u0001${f.externalId}`;
      if (f.siret !== null) return `s\u0001${f.siret}`;
      return f.emailNorm === null ? null : `e\u0001${f.emailNorm}`;
  }
}

/** One-off convenience for tests and small callers: compiles the plan for a single row. */
export function buildCustomer(cells: readonly string[], plan: MappingPlan, opts: RowOptions): RowResult {
  return new CustomerRowBuilder(plan, opts).build(cells);
}
