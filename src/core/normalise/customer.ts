import { ValidationError } from '../errors.js';
import type { CustomerFields, CustomerInput } from '../model.js';
import { COMPANION_OF, GIVEN_ENTRIES, KEY, type CatalogueEntry } from '../fields/catalogue.js';
import { normaliseCountry } from './country.js';
import { parseDate } from './date.js';
import { normaliseEmail } from './email.js';
import { normalisePhone, type NormalisedPhone } from './phone.js';
import { normalisePostalCode } from './postal.js';
import { normaliseSiret } from './siret.js';
import { cleanMultilineText, cleanText } from './text.js';
import { normaliseVat } from './vat.js';
import { legalFormInName, normaliseCivility, normaliseKind, normaliseLegalForm, normaliseStatus } from './vocabulary.js';

export interface NormaliseOptions {
  /**
   * The country assumed for an address or a phone written without one
   * (usually FR): fills `country` when the customer has an address, pads
   * French postal codes, and is where a phone number without +prefix is read.
   */
  defaultCountry?: string | null | undefined;
  /** false: the caller checks identifiability with its own rule (import's row policy). Default true. */
  identity?: boolean;
}

export interface PartialOptions extends NormaliseOptions {
  /** The customer's current country, for a postal code edited without its country. */
  country?: string | null | undefined;
}

/** Per-row context the field writers need: the country decides postal and phone rules. */
interface RowContext {
  country: string | null;
  phoneRegion: string;
  /** Where to read a phone that is no number in phoneRegion: a French mobile on a foreign customer's file. */
  phoneFallback: string;
}

function phoneIn(raw: string | null | undefined, field: string, ctx: RowContext): NormalisedPhone | null {
  try {
    return normalisePhone(raw, field, ctx.phoneRegion);
  } catch (e) {
    if (ctx.phoneFallback === ctx.phoneRegion || !(e instanceof ValidationError)) throw e;
    try {
      return normalisePhone(raw, field, ctx.phoneFallback);
    } catch {
      throw e;
    }
  }
}

type Out = Record<string, unknown>;
type Raw = string | null | undefined;

/**
 * How one catalogue field is normalised, by its rule (CatalogueEntry.norm):
 * the single place that says it, shared by normaliseCustomer (all fields)
 * and normalisePartial (the fields given). A field with a companion computed
 * from it (email → emailNorm, phone → phoneE164) has a `pair` giving both.
 * Errors name the field by its key, as users see it.
 */
interface FieldRule {
  readonly prop: string;
  readonly value?: (raw: Raw, ctx: RowContext) => unknown;
  readonly pair?: (raw: Raw, ctx: RowContext) => readonly [string, string] | null;
  readonly companion?: string;
}

function ruleOf(e: CatalogueEntry): FieldRule {
  const prop = e.prop;
  const key = e.key;
  const companion = COMPANION_OF.get(prop);
  const pair = (f: NonNullable<FieldRule['pair']>): FieldRule => {
    if (companion === undefined) throw new Error(`catalogue: ${key} needs a field derived from it`);
    return { prop, companion, pair: f };
  };
  const value = (f: NonNullable<FieldRule['value']>): FieldRule => ({ prop, value: f });
  switch (e.norm) {
    case 'kind':
      return value((r) => normaliseKind(r));
    case 'salutation':
      return value((r) => normaliseCivility(r));
    case 'legalForm':
      return value((r) => normaliseLegalForm(r));
    case 'companyId':
      return value((r) => normaliseSiret(r, key));
    case 'vatId':
      return value((r) => normaliseVat(r, key));
    case 'email':
      return pair((r) => {
        const m = normaliseEmail(r);
        return m === null ? null : [m.email, m.emailNorm];
      });
    case 'phone':
      return pair((r, ctx) => {
        const n = phoneIn(r, key, ctx);
        return n === null ? null : [n.display, n.e164];
      });
    case 'postalCode':
      return value((r, ctx) => normalisePostalCode(r, ctx.country, key));
    case 'iso3166':
      return value((r) => normaliseCountry(r, key));
    case 'lifecycle':
      return value((r) => normaliseStatus(r));
    case 'multiline':
      return value((r) => cleanMultilineText(r));
    case undefined:
      return value(e.type === 'date' ? (r) => parseDate(r, key) : (r) => cleanText(r));
  }
}

/** Every given field's rule, in catalogue order (the order of a customer's properties), made once at load. */
const RULES: readonly FieldRule[] = GIVEN_ENTRIES.map(ruleOf);
const entryWith = (rule: NonNullable<CatalogueEntry['norm']>): CatalogueEntry => {
  const e = GIVEN_ENTRIES.find((x) => x.norm === rule);
  if (!e) throw new Error(`no catalogue field is normalised as ${rule}`);
  return e;
};
/** The country is read first (postal codes and phones depend on it); the kind last (its default depends on the rest). */
const COUNTRY = entryWith('iso3166');
const KIND = entryWith('kind');

type RowOf = (input: CustomerInput, ctx: RowContext, country: string | null, extra: Record<string, string>, rules: readonly FieldRule[]) => Out;

/**
 * normaliseCustomer's body, compiled once from RULES into straight-line code
 * (as row.ts's toInput): it runs a million times per import, and named reads
 * and one object literal keep every access monomorphic, where a loop over the
 * rules with keyed reads and writes cost about a quarter more CPU per row.
 * The pairs (e-mail, phones) are read first, then the rest in catalogue order:
 * the order the first invalid field is met in.
 */
const rowOf = ((): RowOf => {
  for (const r of RULES) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(r.prop)) throw new Error(`catalogue: '${r.prop}' is no identifier`);
  const pairs = RULES.flatMap((r, i) => (r.pair ? [`const p${i} = rules[${i}].pair(input.${r.prop}, ctx);`] : []));
  const props = RULES.flatMap((r, i) => {
    if (r.prop === KIND.prop) return [`${r.prop}: 'person'`];
    if (r.prop === COUNTRY.prop) return [`${r.prop}: iso`];
    if (r.pair) return [`${r.prop}: p${i} === null ? null : p${i}[0]`, `${r.companion ?? ''}: p${i} === null ? null : p${i}[1]`];
    return [`${r.prop}: rules[${i}].value(input.${r.prop}, ctx)`];
  });
  return new Function('input', 'ctx', 'iso', 'extra', 'rules', `'use strict';\n${pairs.join('\n')}\nreturn { ${props.join(', ')}, extra };`) as RowOf;
})();

type Writer = (out: Out, raw: Raw, ctx: RowContext) => void;
/** normalisePartial's writer of one field: its value, or both of a pair. */
function writerOf(r: FieldRule): Writer {
  const { prop, pair, value, companion } = r;
  if (pair && companion !== undefined) {
    return (o, raw, ctx) => {
      const v = pair(raw, ctx);
      o[prop] = v === null ? null : v[0];
      o[companion] = v === null ? null : v[1];
    };
  }
  if (!value) throw new Error(`catalogue: no rule for ${prop}`);
  // The kind cannot be cleared (an empty one is refused before).
  if (prop === KIND.prop) {
    return (o, raw, ctx) => {
      const v = value(raw, ctx);
      if (v !== null) o[prop] = v;
    };
  }
  return (o, raw, ctx) => (o[prop] = value(raw, ctx));
}
const WRITERS: readonly { prop: string; write: Writer }[] = RULES.map((r) => ({ prop: r.prop, write: writerOf(r) }));

/** The country (alpha-2) a default like "FR" or "France" stands for; memoised since every row passes the same. */
let lastDefault: { raw: string; code: string | null } | undefined;
function defaultCountryCode(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (lastDefault?.raw !== raw) lastDefault = { raw, code: normaliseCountry(raw, 'default_country') };
  return lastDefault.code;
}

function rowContext(country: string | null, fallback: string | null): RowContext {
  return { country: country ?? fallback, phoneRegion: country ?? fallback ?? 'FR', phoneFallback: fallback ?? 'FR' };
}

/** The rule every customer file obeys: something to call it or reach it by. */
export function assertIdentifiable(f: Pick<CustomerFields, 'lastName' | 'firstName' | 'companyName' | 'emailNorm' | 'phoneE164' | 'mobileE164'>): void {
  if (!f.lastName && !f.firstName && !f.companyName && !f.emailNorm && !f.phoneE164 && !f.mobileE164) {
    throw new ValidationError(KEY.lastName, 'a customer needs a name, a company name, an e-mail or a phone', 'give at least --last-name, --company, --email or --phone');
  }
}

/**
 * Import's row policy: a row is kept when something in it can identify
 * someone — a last name, a first name together with an address or a birth
 * date, a company, an e-mail, a phone or an external id (issue 16). A first
 * name alone identifies nobody; a first name, an address and a birth date do
 * (FEBRL-like files without surnames).
 */
export function identifiesSomeone(f: CustomerFields): boolean {
  if (f.lastName || f.companyName || f.emailNorm || f.phoneE164 || f.mobileE164 || f.externalId) return true;
  return f.firstName !== null && (f.addressLine1 !== null || f.addressLine2 !== null || f.birthDate !== null);
}

/**
 * Normalises and validates every field of a customer about to be written
 * (add, import). Throws the first ValidationError met, naming its field.
 * `kind` defaults to company when there is a company name or a SIRET and no
 * person's name; `status` to prospect; `legalForm` is read from the company
 * name ("SARL Dupont") when not given; `extra` is passed through.
 */
export function normaliseCustomer(input: CustomerInput, opts: NormaliseOptions = {}): CustomerFields {
  const given = input as Readonly<Record<string, string | null | undefined>>;
  const fallback = defaultCountryCode(opts.defaultCountry);
  const country = normaliseCountry(given[COUNTRY.prop], COUNTRY.key);
  const ctx = rowContext(country, fallback);
  const out = rowOf(input, ctx, country, input.extra ? { ...input.extra } : {}, RULES) as unknown as CustomerFields;
  if (out.country === null && fallback !== null && (out.postalCode || out.city || out.addressLine1)) out.country = fallback;

  const kind = normaliseKind(input.kind);
  out.kind = kind ?? ((out.companyName || out.siret) && !out.firstName && !out.lastName ? 'company' : 'person');
  if (out.legalForm === null && out.companyName !== null) out.legalForm = legalFormInName(out.companyName);
  if (opts.identity !== false) assertIdentifiable(out);
  return out;
}

/**
 * Normalises only the fields present in `input` (for `edit --set`): a key
 * with an empty value clears the field (status goes back to prospect;
 * kind cannot be cleared). The caller checks the merged result with
 * assertIdentifiable. Pass the customer's current country in `opts.country`
 * so an edited postal code is checked against it.
 */
export function normalisePartial(input: CustomerInput, opts: PartialOptions = {}): Partial<CustomerFields> {
  const given = input as Readonly<Record<string, string | null | undefined>>;
  const out: Out = {};
  const fallback = defaultCountryCode(opts.defaultCountry);
  let country: string | null = null;
  if (given[COUNTRY.prop] !== undefined) {
    out[COUNTRY.prop] = normaliseCountry(given[COUNTRY.prop], COUNTRY.key);
    country = (out[COUNTRY.prop] as string | null) ?? null;
  } else {
    country = opts.country ?? null;
  }
  const ctx = rowContext(country, fallback);
  for (const w of WRITERS) {
    if (w.prop === COUNTRY.prop || !(w.prop in given)) continue;
    const raw = given[w.prop];
    if (raw === undefined) continue;
    if (w.prop === KIND.prop && cleanText(raw) === null) {
      throw new ValidationError(KIND.key, `${KIND.key} cannot be empty`, 'use person or company');
    }
    w.write(out, raw, ctx);
  }
  if (input.extra !== undefined) out.extra = { ...input.extra };
  return out as Partial<CustomerFields>;
}
