import { ValidationError } from '../errors.js';
import type { CustomerFieldName, CustomerFields, CustomerInput } from '../model.js';
import { KEY, GIVEN_ENTRIES } from '../fields/catalogue.js';
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
   * French postal codes, and is the phone numbers' default region.
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

type Out = Partial<CustomerFields>;
type Writer = (out: Out, raw: string | null | undefined, ctx: RowContext) => void;

/**
 * One writer per input field: the single place that says how a field is
 * normalised, shared by normaliseCustomer (all fields) and normalisePartial
 * (the fields given). Field names in errors are the snake_case ones users see.
 */
const WRITERS: Readonly<Record<CustomerFieldName, Writer>> = {
  kind: (o, r) => {
    const kind = normaliseKind(r);
    if (kind !== null) o.kind = kind;
  },
  civility: (o, r) => (o.civility = normaliseCivility(r)),
  firstName: (o, r) => (o.firstName = cleanText(r)),
  lastName: (o, r) => (o.lastName = cleanText(r)),
  companyName: (o, r) => (o.companyName = cleanText(r)),
  legalForm: (o, r) => (o.legalForm = normaliseLegalForm(r)),
  siret: (o, r) => (o.siret = normaliseSiret(r, 'siret')),
  vatNumber: (o, r) => (o.vatNumber = normaliseVat(r, KEY.vatNumber)),
  sector: (o, r) => (o.sector = cleanText(r)),
  jobTitle: (o, r) => (o.jobTitle = cleanText(r)),
  email: (o, r) => {
    const e = normaliseEmail(r);
    o.email = e?.email ?? null;
    o.emailNorm = e?.emailNorm ?? null;
  },
  phone: (o, r, ctx) => {
    const p = phoneIn(r, 'phone', ctx);
    o.phone = p?.display ?? null;
    o.phoneE164 = p?.e164 ?? null;
  },
  mobile: (o, r, ctx) => {
    const p = phoneIn(r, 'mobile', ctx);
    o.mobile = p?.display ?? null;
    o.mobileE164 = p?.e164 ?? null;
  },
  addressLine1: (o, r) => (o.addressLine1 = cleanText(r)),
  addressLine2: (o, r) => (o.addressLine2 = cleanText(r)),
  postalCode: (o, r, ctx) => (o.postalCode = normalisePostalCode(r, ctx.country, KEY.postalCode)),
  city: (o, r) => (o.city = cleanText(r)),
  country: (o, r) => (o.country = normaliseCountry(r, 'country')),
  birthDate: (o, r) => (o.birthDate = parseDate(r, KEY.birthDate)),
  website: (o, r) => (o.website = cleanText(r)),
  owner: (o, r) => (o.owner = cleanText(r)),
  region: (o, r) => (o.region = cleanText(r)),
  status: (o, r) => (o.status = normaliseStatus(r)),
  source: (o, r) => (o.source = cleanText(r)),
  externalId: (o, r) => (o.externalId = cleanText(r)),
  externalSource: (o, r) => (o.externalSource = cleanText(r)),
  notes: (o, r) => (o.notes = cleanMultilineText(r)),
};

/**
 * Catalogue fields with no writer above: plain text, cleaned. Empty unless a
 * field was added to the catalogue without a rule of its own — it is then
 * imported, edited and exported like any text field (one entry + one migration).
 */
const PLAIN_TEXT: readonly string[] = GIVEN_ENTRIES.map((e) => e.prop).filter((p) => !(p in WRITERS));
const textWriter = (prop: string): Writer => (o, r) => ((o as Record<string, unknown>)[prop] = cleanText(r));
const ALL_WRITERS: Readonly<Record<string, Writer>> = { ...WRITERS, ...Object.fromEntries(PLAIN_TEXT.map((p) => [p, textWriter(p)])) };

const FIELD_NAMES = Object.keys(ALL_WRITERS) as CustomerFieldName[];

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
  const fallback = defaultCountryCode(opts.defaultCountry);
  const country = normaliseCountry(input.country, 'country');
  const ctx = rowContext(country, fallback);
  // Straight-line rather than a loop over WRITERS: this runs a million times
  // per import, and direct property reads are several times cheaper than
  // keyed ones. normalisePartial uses WRITERS; a unit test keeps both in step.
  const email = normaliseEmail(input.email);
  const phone = phoneIn(input.phone, 'phone', ctx);
  const mobile = phoneIn(input.mobile, 'mobile', ctx);
  const out: CustomerFields = {
    kind: 'person',
    civility: normaliseCivility(input.civility),
    firstName: cleanText(input.firstName),
    lastName: cleanText(input.lastName),
    companyName: cleanText(input.companyName),
    legalForm: normaliseLegalForm(input.legalForm),
    siret: normaliseSiret(input.siret, 'siret'),
    vatNumber: normaliseVat(input.vatNumber, KEY.vatNumber),
    sector: cleanText(input.sector),
    jobTitle: cleanText(input.jobTitle),
    email: email?.email ?? null,
    emailNorm: email?.emailNorm ?? null,
    phone: phone?.display ?? null,
    phoneE164: phone?.e164 ?? null,
    mobile: mobile?.display ?? null,
    mobileE164: mobile?.e164 ?? null,
    addressLine1: cleanText(input.addressLine1),
    addressLine2: cleanText(input.addressLine2),
    postalCode: normalisePostalCode(input.postalCode, ctx.country, KEY.postalCode),
    city: cleanText(input.city),
    country,
    birthDate: parseDate(input.birthDate, KEY.birthDate),
    website: cleanText(input.website),
    owner: cleanText(input.owner),
    region: cleanText(input.region),
    status: normaliseStatus(input.status),
    source: cleanText(input.source),
    externalId: cleanText(input.externalId),
    externalSource: cleanText(input.externalSource),
    notes: cleanMultilineText(input.notes),
    extra: input.extra ? { ...input.extra } : {},
  };
  for (const p of PLAIN_TEXT) (out as unknown as Record<string, unknown>)[p] = cleanText((input as Record<string, string | null | undefined>)[p]);
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
  const out: Out = {};
  const fallback = defaultCountryCode(opts.defaultCountry);
  let country: string | null = null;
  if (input.country !== undefined) {
    WRITERS.country(out, input.country, rowContext(null, null));
    country = out.country ?? null;
  } else {
    country = opts.country ?? null;
  }
  const ctx = rowContext(country, fallback);
  for (const name of FIELD_NAMES) {
    if (name === 'country' || !(name in input)) continue;
    const raw = input[name];
    if (raw === undefined) continue;
    if (name === 'kind' && cleanText(raw) === null) {
      throw new ValidationError('kind', 'kind cannot be empty', 'use person or company');
    }
    (ALL_WRITERS[name] as Writer)(out, raw, ctx);
  }
  if (input.extra !== undefined) out.extra = { ...input.extra };
  return out;
}
