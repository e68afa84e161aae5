import { ValidationError } from '../errors.js';
import type { Channel, ConsentState, CustomerFieldName, CustomerFields, CustomerInput, KeyMode } from '../model.js';

export type { KeyMode } from '../model.js';
import { identifiesSomeone, isMobileE164, normaliseCustomer } from '../normalise/index.js';
import { COMPANION_OF, KEY, FIELDS, GIVEN_ENTRIES, fieldOf } from '../fields/catalogue.js';
import { readCustomValue, type CustomValue } from '../fields/custom.js';
import type { FieldSlot, MappingPlan } from './mapping.js';
import { readCategories, readConsent, type ConsentValue } from './values.js';
import { cellMemo, ownCopy } from './cell-memo.js';
import { birthAndStreetNumber, splitCombinedAddress, splitFullName } from './row-pseudo.js';
import { carnetParts, NO_CARNET_PARTS, type CarnetRowParts } from './row-carnet.js';
import { AUTO_PHONE, blank, camelOf, FI, FI_EXTERNAL_ID, FI_EXTERNAL_SOURCE, FI_MOBILE, FI_PHONE, GIVEN_FIELDS, RowState, SMS_PHONE, type Vals, type Warning } from './row-state.js';

export { BIT, GIVEN_FIELDS, type Warning } from './row-state.js';

/** The E.164 forms normalisation computes for those two phones: they move with them. */
const AUTO_E164 = companionOf(AUTO_PHONE.prop);
const SMS_E164 = companionOf(SMS_PHONE.prop);
function companionOf(prop: string): string {
  const c = COMPANION_OF.get(prop);
  if (c === undefined) throw new Error(`${prop} has no E.164 form`);
  return c;
}

/**
 * One CSV record → one normalised customer, through the same
 * normaliseCustomer as `carnet add`. The row policy (issue 16):
 * - a value that fails validation (e-mail, SIRET, phone, date, postal
 *   code…) never costs the row: the raw value goes to extra under its
 *   column's name and a warning says so (the warning is also written to the
 *   rejects file). Never as a key either: a wrong e-mail matches nobody.
 * - a row is rejected only when nothing in it identifies anyone
 *   (identifiesSomeone);
 * - --strict keeps the earlier rule: an e-mail, SIRET or other key-like
 *   value that fails rejects the row (and the import stops);
 * - values that feed no field go to extra; nothing is dropped.
 * The plan is compiled once per file; a row is a few array walks.
 */


export interface RowOptions {
  key: KeyMode;
  /** --source: the namespace of external ids, and the source of new customers. */
  source: string | null;
  /** --category: added to every row. */
  categories: readonly string[];
  /** --country: the country assumed for addresses and phones written without one. */
  defaultCountry: string | null;
  /** --strict: only the catalogue's soft fields keep their row when invalid. */
  strict?: boolean;
}

export interface ConsentIn {
  channel: Channel;
  state: ConsentState;
  at: string | null;
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
  /** Values of the user's own fields, typed; null when the row has none. */
  custom: Record<string, CustomValue> | null;
  warnings: Warning[];
  /** carnet's own export: the uid it was exported with, its restriction and archive dates. */
  carnet: CarnetRowParts;
}

export type RowResult = { ok: true; row: BuiltCustomer } | { ok: false; field: string; reason: string; warnings: Warning[] };

/** With --strict, the fields whose invalid value is still kept in extra with a warning instead of rejecting the row. */
const STRICT_SOFT: ReadonlySet<string> = new Set(FIELDS.filter((e) => e.soft).map((e) => e.key));
const ALL_SOFT: ReadonlySet<string> = new Set(GIVEN_ENTRIES.map((e) => e.key));
const NOBODY = 'nothing in this row identifies anyone: no last name, no first name with an address or a birth date, no company, e-mail, phone or external id';
const MOBILE_LABEL = /mobile|cell|portable|gsm/i;
/** 2 ** i by field index, computed once: the power in the row loop was half of build's own time (a call per field per row). */
const FIELD_BITS: readonly number[] = GIVEN_FIELDS.map((_, i) => 2 ** i);
/** The parts of an address (the catalogue's vCard ADR fields): a grouped address is taken whole from one group. */
const ADDRESS_FIELDS = new Set<CustomerFieldName>(GIVEN_ENTRIES.filter((e) => e.adr !== undefined).map(fieldOf));

interface FieldOp {
  /** Index of the field in GIVEN_FIELDS (and in a row's value array). */
  fi: number;
  field: CustomerFieldName;
  slots: readonly FieldSlot[];
  address: boolean;
  phone: boolean;
}

/**
 * The CustomerInput of a row's values, property by property in GIVEN_FIELDS
 * order: compiled once from the catalogue into one object literal, so that V8
 * sees one object shape across a million rows (dynamic keys would make every
 * access megamorphic).
 */
const toInput = new Function('v', 'extra', `return { ${GIVEN_FIELDS.map((f, i) => `${f}: v[${i}]`).join(', ')}, extra };`) as (
  v: Vals,
  extra: Record<string, string>,
) => CustomerInput;

export class CustomerRowBuilder {
  private readonly ops: FieldOp[];
  private readonly groups: boolean;
  private readonly state: RowState;
  private readonly carnet: boolean;
  private readonly categoriesOf = cellMemo((raw) => readCategories(raw).map(ownCopy));
  /** One memo per kind of column (opt-in, opt-out): the same cell reads differently in each. */
  private readonly consentOf = [cellMemo((raw) => readConsent(raw, false)), cellMemo((raw) => readConsent(raw, true))] as const;

  constructor(private readonly plan: MappingPlan, private readonly opts: RowOptions) {
    this.ops = (Object.entries(plan.fields) as [CustomerFieldName, FieldSlot[]][]).map(([field, slots]) => ({
      fi: FI[field] as number, field, slots, address: ADDRESS_FIELDS.has(field), phone: field === AUTO_PHONE.prop,
    }));
    this.groups = this.ops.some((o) => o.address && o.slots.some((s) => s.group !== null));
    this.state = new RowState(plan.headers.map((h, i) => plan.extraNames[i] ?? h));
    this.carnet = plan.ownUid.length + plan.extraJson.length + plan.restrictedAt.length + plan.archivedAt.length > 0;
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
    if (plan.fullName.length > 0) splitFullName(st, plan);
    if (plan.combinedAddress.length > 0) splitCombinedAddress(st, plan);
    birthAndStreetNumber(st, plan);
    const categories = this.categories(cells);
    const consents = plan.consents.length > 0 ? this.consents(st) : [];
    const createdAt = plan.createdAt.length > 0 ? st.date(plan.createdAt, 'created_at') : null;
    const lastContactAt = plan.lastContactAt.length > 0 ? st.date(plan.lastContactAt, 'last_contact_at') : null;
    const custom = plan.custom.length > 0 ? this.custom(st) : null;
    const carnet = this.carnet ? carnetParts(st, plan) : NO_CARNET_PARTS;
    for (const c of plan.extra) st.keep(c);
    if (vals[FI_EXTERNAL_ID] !== undefined && this.opts.source !== null) vals[FI_EXTERNAL_SOURCE] = this.opts.source;

    const warnings = st.warnings;
    let fields: CustomerFields;
    try {
      fields = normaliseSoftly(st, this.opts.defaultCountry, this.opts.strict ? STRICT_SOFT : ALL_SOFT);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return { ok: false, field: err.field, reason: `${err.message.replace(/^[a-z_0-9]+: /, '')}${err.hint ? ` — ${err.hint}` : ''}`, warnings };
    }
    // A uid carnet wrote is the customer's own identifier (export --columns uid,city comes back to its customers).
    if (!identifiesSomeone(fields) && carnet.ownUid === null) {
      const lost = warnings.length > 0 ? ` (${warnings.map((w) => `${w.field}: ${w.message.replace(/ \(kept in extra as .*\)$/, '')}`).join('; ')})` : '';
      return { ok: false, field: KEY.lastName, reason: `${NOBODY}${lost}`, warnings };
    }
    // A number in a plain "Téléphone" column that is a mobile is the customer's mobile (SMS marketing reads the mobile's E.164 form).
    const f = fields as unknown as Record<string, string | null>;
    if (phoneAuto && f[SMS_PHONE.prop] === null && f[AUTO_E164] !== null && isMobileE164(f[AUTO_E164] ?? '')) {
      f[SMS_PHONE.prop] = f[AUTO_PHONE.prop] ?? null;
      f[SMS_E164] = f[AUTO_E164] ?? null;
      f[AUTO_PHONE.prop] = null;
      f[AUTO_E164] = null;
      vals[FI_MOBILE] = vals[FI_PHONE];
      vals[FI_PHONE] = undefined;
    }
    let mask = 0;
    for (let i = 0; i < vals.length; i++) if (vals[i] !== undefined) mask += FIELD_BITS[i] as number;
    const ikey = identityKey(fields, this.opts.key);
    if (ikey === null && this.opts.key !== 'auto') {
      // A key mode is the key of the field it matches rows by.
      const name: string = this.opts.key;
      return { ok: false, field: name, reason: `no ${name.replace('_', ' ')} in this row, and --key ${this.opts.key} matches rows by it`, warnings };
    }
    return { ok: true, row: { fields, mask, categories, consents, createdAt, lastContactAt, ikey, warnings, custom, carnet } };
  }

  /** The row's values of the user's own fields; one that does not fit its type goes to extra with a warning. */
  private custom(st: RowState): Record<string, CustomValue> | null {
    let out: Record<string, CustomValue> | null = null;
    for (const { column, def } of this.plan.custom) {
      const raw = st.cells[column];
      if (raw === undefined || blank(raw)) continue;
      try {
        const v = readCustomValue(def, raw);
        if (v !== null) (out ??= {})[def.key] = v;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        st.keep(column);
        st.warnings.push({ field: def.key, message: `${err.message.replace(/^[a-z_0-9]+: /, '')} (kept in extra as '${st.name(column)}')` });
      }
    }
    return out;
  }

  private categories(cells: readonly string[]): string[] {
    const out: string[] = [];
    for (const c of this.plan.categories) {
      const cell = cells[c];
      if (cell !== undefined && cell !== '') for (const name of this.categoriesOf(cell)) addCategory(out, name);
    }
    for (const name of this.opts.categories) addCategory(out, name);
    return out;
  }

  private consents(st: RowState): ConsentIn[] {
    const out: ConsentIn[] = [];
    for (const k of this.plan.consents) {
      const raw = st.cells[k.column];
      if (raw === undefined || blank(raw) || hasChannel(out, k.channel)) continue;
      const v: ConsentValue | null | undefined = this.consentOf[k.optOut ? 1 : 0](raw);
      if (v === undefined) {
        st.keep(k.column);
        st.warnings.push({ field: 'consent', message: `'${raw.trim()}' is not yes, no or a date (kept in extra as '${st.name(k.column)}')` });
      } else if (v !== null) out.push({ channel: k.channel, state: v.state, at: v.at });
    }
    return out;
  }
}

/** A category once per row, whatever its case (loops, not closures: they run on every row). */
function addCategory(out: string[], name: string): void {
  const low = name.toLowerCase();
  for (const x of out) if (x.toLowerCase() === low) return;
  out.push(name);
}

function hasChannel(out: readonly ConsentIn[], channel: Channel): boolean {
  for (const c of out) if (c.channel === channel) return true;
  return false;
}

/**
 * normaliseCustomer, retried without a soft field each time one fails:
 * the raw value moves to extra and a warning is recorded.
 */
function normaliseSoftly(st: RowState, defaultCountry: string | null, soft: ReadonlySet<string>): CustomerFields {
  for (let attempt = 0; ; attempt++) {
    try {
      return normaliseCustomer(toInput(st.vals, st.extra), { defaultCountry, identity: false });
    } catch (err) {
      if (!(err instanceof ValidationError) || !soft.has(err.field) || attempt > GIVEN_FIELDS.length) throw err;
      const field = camelOf(err.field);
      const fi = field === undefined ? undefined : FI[field];
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
    case KEY.externalId:
      return f.externalId === null ? null : `x\u0001${f.externalSource ?? ''}\u0001${f.externalId}`;
    case KEY.siret:
      return f.siret === null ? null : `s\u0001${f.siret}`;
    case KEY.email:
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
