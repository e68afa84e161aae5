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
  field: CustomerFieldName;
  slots: readonly FieldSlot[];
  address: boolean;
}

/** A CustomerInput with every key present from the start: one object shape across a million rows. */
function emptyInput(): CustomerInput {
  return {
    kind: undefined, civility: undefined, firstName: undefined, lastName: undefined, companyName: undefined, legalForm: undefined,
    siret: undefined, vatNumber: undefined, sector: undefined, jobTitle: undefined, email: undefined, phone: undefined, mobile: undefined,
    addressLine1: undefined, addressLine2: undefined, postalCode: undefined, city: undefined, country: undefined, birthDate: undefined,
    website: undefined, owner: undefined, region: undefined, status: undefined, source: undefined, externalId: undefined,
    externalSource: undefined, notes: undefined, extra: undefined,
  };
}

export class CustomerRowBuilder {
  private readonly ops: FieldOp[];
  private readonly groups: boolean;
  private readonly names: string[];

  constructor(private readonly plan: MappingPlan, private readonly opts: RowOptions) {
    this.ops = (Object.entries(plan.fields) as [CustomerFieldName, FieldSlot[]][]).map(([field, slots]) => ({ field, slots, address: ADDRESS_FIELDS.has(field) }));
    this.groups = this.ops.some((o) => o.address && o.slots.some((s) => s.group !== null));
    this.names = plan.headers.map((h, i) => plan.extraNames[i] ?? h);
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
    const names = this.names;
    if (cells.length > plan.headers.length && cells.slice(plan.headers.length).some((c) => !blank(c))) {
      return {
        ok: false, field: '-', warnings: [],
        reason: `${cells.length} values for ${plan.headers.length} columns — a delimiter inside a value that is not quoted? Quote the value, or check the delimiter`,
      };
    }
    const input = emptyInput();
    const extra: Record<string, string> = {};
    const from: Partial<Record<CustomerFieldName, string>> = {};
    const warnings: Warning[] = [];
    const keep = (column: number): void => {
      const v = cells[column];
      if (v !== undefined && v !== '') {
        const t = v.trim();
        if (t !== '') extra[names[column] ?? `column ${column + 1}`] = t;
      }
    };
    const set = (field: CustomerFieldName, column: number): boolean => {
      const cell = cells[column];
      if (cell === undefined || cell === '') return false;
      const raw = cell.trim();
      if (raw === '') return false;
      if (input[field] !== undefined) {
        keep(column);
        return false;
      }
      // Google Contacts puts several values in one cell: the first is the field, the whole cell is kept.
      const multi = raw.indexOf(MULTI);
      input[field] = multi >= 0 ? raw.slice(0, multi) : raw;
      if (multi >= 0) keep(column);
      from[field] = names[column];
      return true;
    };

    let phoneAuto = false;
    const group = this.groups ? this.chosenGroup(cells) : null;
    for (const op of this.ops) {
      for (const s of op.slots) {
        if (op.address && s.group !== null && s.group !== group) keep(s.column);
        else if (op.field !== 'phone') set(op.field, s.column);
        else {
          const label = s.labelColumn === null ? '' : (cells[s.labelColumn] ?? '');
          if (label !== '' && MOBILE_LABEL.test(label) && input.mobile === undefined && set('mobile', s.column)) continue;
          if (set('phone', s.column)) phoneAuto = s.phoneAuto && label === '';
        }
      }
    }

    for (const c of plan.fullName) {
      const v = cleanText(cells[c]);
      if (v === null) continue;
      if (input.firstName === undefined && input.lastName === undefined && input.companyName === undefined) {
        // "Loïc Le Gall": the first word is the first name, the rest the last name (particles stay with it).
        const sp = v.indexOf(' ');
        if (sp < 0) input.lastName = v;
        else {
          input.firstName = v.slice(0, sp);
          input.lastName = v.slice(sp + 1);
        }
      } else if (v !== [input.firstName, input.lastName].filter(Boolean).join(' ')) keep(c);
    }
    const { y, m, d } = plan.birthParts;
    if (y !== null && m !== null && d !== null && !blank(cells[y]) && !blank(cells[m]) && !blank(cells[d]) && input.birthDate === undefined) {
      input.birthDate = `${(cells[y] ?? '').trim()}-${(cells[m] ?? '').trim().padStart(2, '0')}-${(cells[d] ?? '').trim().padStart(2, '0')}`;
      from.birthDate = names[y];
    } else {
      for (const c of [y, m, d]) if (c !== null) keep(c);
    }
    for (const c of plan.streetNumber) {
      const v = cleanText(cells[c]);
      if (v === null) continue;
      if (typeof input.addressLine1 === 'string') input.addressLine1 = `${v} ${input.addressLine1}`;
      else keep(c);
    }
    const categories: string[] = [];
    for (const c of plan.categories) {
      const cell = cells[c];
      if (cell === undefined || cell === '') continue;
      for (const name of readCategories(cell)) if (!categories.some((x) => x.toLowerCase() === name.toLowerCase())) categories.push(name);
    }
    for (const name of this.opts.categories) if (!categories.some((x) => x.toLowerCase() === name.toLowerCase())) categories.push(name);

    const consents: ConsentIn[] = [];
    for (const k of plan.consents) {
      const raw = cells[k.column];
      if (raw === undefined || blank(raw) || consents.some((c) => c.channel === k.channel)) continue;
      const v = readConsent(raw, k.optOut);
      if (v === undefined) {
        keep(k.column);
        warnings.push({ field: 'consent', message: `'${raw.trim()}' is not yes, no or a date (kept in extra as '${names[k.column]}')` });
      } else if (v !== null) consents.push({ channel: k.channel, state: v.state, at: v.at });
    }
    const when = (cols: readonly number[], field: string): string | null => {
      for (const c of cols) {
        const raw = cells[c];
        if (raw === undefined || blank(raw)) continue;
        try {
          return parseDateTime(raw, field);
        } catch (err) {
          keep(c);
          warnings.push({ field, message: `${err instanceof Error ? err.message.replace(/^[a-z_0-9]+: /, '') : String(err)} (kept in extra as '${names[c]}')` });
        }
      }
      return null;
    };
    const createdAt = plan.createdAt.length > 0 ? when(plan.createdAt, 'created_at') : null;
    const lastContactAt = plan.lastContactAt.length > 0 ? when(plan.lastContactAt, 'last_contact_at') : null;
    for (const c of plan.extra) keep(c);
    if (input.externalId !== undefined && this.opts.source !== null) input.externalSource = this.opts.source;
    input.extra = extra;

    let fields: CustomerFields;
    try {
      fields = normaliseSoftly(input, from, extra, warnings, this.opts.defaultCountry);
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
      input.mobile = input.phone;
      input.phone = undefined;
    }
    let mask = 0;
    for (let i = 0; i < GIVEN_FIELDS.length; i++) {
      const v = input[GIVEN_FIELDS[i] as CustomerFieldName];
      if (v !== undefined && v !== null && v !== '') mask += 2 ** i;
    }
    const ikey = identityKey(fields, this.opts.key);
    if (ikey === null && this.opts.key !== 'auto') {
      const name = KEY_FIELD[this.opts.key];
      return { ok: false, field: name, reason: `no ${name.replace('_', ' ')} in this row, and --key ${this.opts.key} matches rows by it`, warnings };
    }
    return { ok: true, row: { fields, mask, categories, consents, createdAt, lastContactAt, ikey, warnings } };
  }
}

/**
 * normaliseCustomer, retried without a soft field each time one fails:
 * the raw value moves to extra and a warning is recorded.
 */
function normaliseSoftly(
  input: CustomerInput,
  from: Partial<Record<CustomerFieldName, string>>,
  extra: Record<string, string>,
  warnings: Warning[],
  defaultCountry: string | null,
): CustomerFields {
  for (let attempt = 0; ; attempt++) {
    try {
      return normaliseCustomer(input, { defaultCountry });
    } catch (err) {
      if (!(err instanceof ValidationError) || !SOFT.has(err.field) || attempt > 8) throw err;
      const field = camelOf(err.field);
      const raw = input[field];
      if (raw === undefined || raw === null) throw err;
      const name = from[field] ?? err.field;
      extra[name] = raw;
      input[field] = undefined;
      warnings.push({ field: err.field, message: `${err.message.replace(/^[a-z_0-9]+: /, '')} (kept in extra as '${name}')` });
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
