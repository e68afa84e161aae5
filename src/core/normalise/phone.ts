import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { createRequire } from 'node:module';
import { ValidationError } from '../errors.js';
import { cleanText } from './text.js';
import { KEY } from '../fields/catalogue.js';

export interface NormalisedPhone {
  /** French numbers (overseas included) in the national form "06 12 34 56 78", others international "+32 2 123 45 67". */
  display: string;
  /** The matching key, E.164: "+33612345678". */
  e164: string;
}

// Compiled once. Separators people put between digit groups.
const SEPARATORS = /[\s.\-/]+/g;
/**
 * The French forms that are most of every file: 0X…, +33 X…, 0033 X…, with an
 * optional "(0)" trunk prefix. Group 1 is the 9-digit national number. 8xx
 * (special rates) is left to the library, whose national format for it differs.
 */
const FR_INTERNATIONAL = /^(?:\+|00)33(?:\(0\)|0)?([1-79]\d{8})$/;
const FR_NATIONAL = /^(?:\(0\)|0)([1-79]\d{8})$/;
/**
 * The fastest path, on the raw cell: "06 12 34 56 78", "06.12.34.56.78",
 * "0612345678", "+33 6 12 34 56 78", "0033 6…", "(0)6…" — one regex exec and
 * no intermediate strings (2–3× faster than cleaning then compacting).
 */
const GROUPS = String.raw`([1-79])[ .\-/\u00a0\u202f]?(\d\d)[ .\-/\u00a0\u202f]?(\d\d)[ .\-/\u00a0\u202f]?(\d\d)[ .\-/\u00a0\u202f]?(\d\d)\s*$`;
const FR_GROUPED_NATIONAL = new RegExp(String.raw`^\s*(?:\(0\)\s?|0)${GROUPS}`);
const FR_GROUPED_INTERNATIONAL = new RegExp(String.raw`^\s*(?:\+|00)\s?33[ .\-\u00a0]?(?:\(0\)\s?|0\s?)?${GROUPS}`);
/** "poste 12", "p. 12", "ext 12", "x12", "#12" at the end: extensions are dropped (we dial the switchboard). */
const EXTENSION = /\s*[,;]?\s*(?:postes?|p\.?|ext\.?|extension|x|#)\s*\d{1,6}\s*$/i;
/** "Tél. : ", "tel:", "Portable –" labels pasted in front of the number. */
const LABEL = /^(?:t[ée]l(?:[ée]phone)?|tel|phone|mobile|portable|port|gsm|fixe|standard)\s*[.:\-–]*\s*/i;

function formatFrench(nsn: string): string {
  return `0${nsn[0]} ${nsn.slice(1, 3)} ${nsn.slice(3, 5)} ${nsn.slice(5, 7)} ${nsn.slice(7, 9)}`;
}

/**
 * Overseas departments are dialled from France as 0262…, 0590…, 0696… but
 * their E.164 country codes are +262, +590, +594, +596, +508. The library's
 * FR metadata would make 0262 12 34 56 a +33 number, which no one can call
 * from abroad and which would never match the same number written +262.
 */
const OVERSEAS_CODE: Readonly<Record<string, string>> = {
  '262': '262', '263': '262', '269': '262', '639': '262', '692': '262', '693': '262', // Réunion, Mayotte
  '590': '590', '690': '590', '691': '590', // Guadeloupe, Saint-Barthélemy, Saint-Martin
  '594': '594', '694': '594', // Guyane
  '596': '596', '696': '596', '697': '596', // Martinique
  '508': '508', // Saint-Pierre-et-Miquelon
};
/** Regions whose numbers are French numbers, written the French national way. */
const FRENCH_NUMBERING = new Set(['FR', 'RE', 'YT', 'GP', 'BL', 'MF', 'GF', 'MQ', 'PM']);

function frenchNumber(nsn: string): NormalisedPhone {
  const cc = OVERSEAS_CODE[nsn.slice(0, 3)] ?? '33';
  return { display: formatFrench(nsn), e164: `+${cc}${nsn}` };
}

/**
 * An overseas number written the international way, +262 269 82 51 61: read
 * as its national form 0269 82 51 61 is, when the code is the one its prefix
 * has (OVERSEAS_CODE). Without this, the library's stricter ranges for +262
 * and the like refused numbers that the national form (what French files hold,
 * and what export writes back as E.164 in a vCard) let in: one number, two verdicts.
 */
const OVERSEAS_INTERNATIONAL = /^(?:\+|00)(262|590|594|596|508)([1-79]\d{8})$/;

/** `plan`: the country whose numbering plan a national number (06…) is read in. */
function frenchFastPath(compact: string, plan: CountryCode): NormalisedPhone | undefined {
  const intl = FR_INTERNATIONAL.exec(compact);
  if (intl?.[1] !== undefined) return frenchNumber(intl[1]);
  const overseas = OVERSEAS_INTERNATIONAL.exec(compact);
  if (overseas?.[2] !== undefined && OVERSEAS_CODE[overseas[2].slice(0, 3)] === overseas[1]) return frenchNumber(overseas[2]);
  if (plan === 'FR') {
    const nat = FR_NATIONAL.exec(compact);
    if (nat?.[1] !== undefined) return frenchNumber(nat[1]);
  }
  return undefined;
}

function regionOf(defaultRegion: string): CountryCode {
  const r = defaultRegion.toUpperCase();
  return isSupportedCountry(r) ? r : 'FR';
}

/**
 * Cleans and validates one phone number; null/empty → null. French numbers
 * take a fast path without the library (libphonenumber-js costs 5–10 µs a
 * number, i.e. 5–10 s for a million rows; the fast path ~0.4 µs). It accepts
 * exactly what the library's FR metadata (min) accepts — 9 national digits,
 * first one non-zero — so both paths agree; 08xx numbers go to the library.
 * Other numbers, and French ones written oddly, go through the library.
 *
 * @param field the field name used in the error (phone, mobile…)
 * @param defaultRegion the country assumed for numbers written without +/00
 */
export function normalisePhone(raw: string | null | undefined, field: string = KEY.phone, defaultRegion = 'FR'): NormalisedPhone | null {
  if (raw === null || raw === undefined) return null;
  const plan = defaultRegion === 'FR' ? 'FR' : regionOf(defaultRegion);
  const m = FR_GROUPED_INTERNATIONAL.exec(raw) ?? (plan === 'FR' ? FR_GROUPED_NATIONAL.exec(raw) : null);
  if (m) {
    const [, d = '', g1 = '', g2 = '', g3 = '', g4 = ''] = m;
    const cc = OVERSEAS_CODE[d + g1.charAt(0) + g1.charAt(1)] ?? '33';
    return { display: `0${d} ${g1} ${g2} ${g3} ${g4}`, e164: `+${cc}${d}${g1}${g2}${g3}${g4}` };
  }

  const cleaned = cleanText(raw);
  if (cleaned === null) return null;
  const s = cleaned.replace(LABEL, '').replace(EXTENSION, '');
  const slow = frenchFastPath(s.replace(SEPARATORS, ''), plan);
  if (slow !== undefined) return slow;

  const parsed = parsePhoneNumberFromString(s, plan);
  if (!parsed?.isValid()) {
    throw new ValidationError(
      field,
      `'${cleaned}' is not a phone number`,
      /[\/;,]|\bou\b/.test(cleaned) && (cleaned.match(/\d/g)?.length ?? 0) > 12
        ? 'one number per field; put a second one in mobile or in a contact'
        : 'write it like 06 12 34 56 78 or +32 2 123 45 67',
    );
  }
  const nsn = parsed.nationalNumber;
  if (parsed.country !== undefined && FRENCH_NUMBERING.has(parsed.country) && nsn.length === 9 && nsn[0] !== '8') {
    const overseas = parsed.countryCallingCode === '33' ? OVERSEAS_CODE[nsn.slice(0, 3)] : undefined;
    return { display: formatFrench(nsn), e164: overseas === undefined ? parsed.number : `+${overseas}${nsn}` };
  }
  const display = parsed.country === 'FR' ? parsed.formatNational() : parsed.formatInternational();
  return { display, e164: parsed.number };
}

/** French mobile ranges: metropolitan 06/07 (the rule import routes on). */
const FR_MOBILE = /^\+33[67]\d{8}$/;
const FR_METROPOLITAN = /^\+33\d{9}$/;

/**
 * Is this E.164 number a mobile (for import to route a phone column to
 * mobile)? French metropolitan numbers by their 06/07 prefix; anything else
 * (overseas departments, foreign numbers) by libphonenumber-js's mobile
 * metadata, which knows +262 692…, +32 470… and the like.
 */
export function isMobileE164(e164: string): boolean {
  if (FR_MOBILE.test(e164)) return true;
  if (FR_METROPOLITAN.test(e164)) return false;
  if (!OVERSEAS_E164.test(e164)) return libraryMobile(e164);
  const prefix = e164.slice(0, OVERSEAS_PREFIX);
  let mobile = overseasMobile.get(prefix);
  if (mobile === undefined) {
    mobile = libraryMobile(e164);
    if (overseasMobile.size >= OVERSEAS_MEMO) overseasMobile.clear();
    overseasMobile.set(prefix, mobile);
  }
  return mobile;
}

function libraryMobile(e164: string): boolean {
  mobileParser ??= (createRequire(import.meta.url)('libphonenumber-js/mobile') as MobileModule).parsePhoneNumberFromString;
  return mobileParser(e164)?.getType() === 'MOBILE';
}

/**
 * An overseas number (+262, +590, +594, +596, +508 and 9 digits, as normalisePhone writes them)
 * costs the library 10-30 µs to tell mobile or not, for a few percent of an import's rows. In its
 * mobile metadata every pattern that decides it for those numbers (national number, mobile range,
 * Réunion or Mayotte for +262) fixes at most the first 5 digits and ends in \d{4}: every number
 * of one 5-digit prefix gets the same answer, so the library is asked once per prefix.
 * test/unit/normalise.test.ts checks this against the library, in case new metadata changes it.
 */
const OVERSEAS_E164 = /^\+(?:262|590|594|596|508)\d{9}$/;
/** '+262' and the 5 digits. */
const OVERSEAS_PREFIX = 9;
/** 5 codes of 100,000 prefixes: a bound that a file never reaches in practice. */
const OVERSEAS_MEMO = 50_000;
const overseasMobile = new Map<string, boolean>();

type MobileModule = typeof import('libphonenumber-js/mobile');
/**
 * The mobile metadata is loaded on first need, synchronously: it adds ~12 ms
 * to every command's start-up otherwise, and only an import with foreign or
 * overseas numbers ever needs it.
 */
let mobileParser: MobileModule['parsePhoneNumberFromString'] | undefined;
