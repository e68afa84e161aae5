import { ValidationError } from '../errors.js';
import { cleanText } from './text.js';
import { KEY } from '../fields/catalogue.js';

/**
 * Countries that use French 5-digit postal codes: France, its overseas
 * departments and collectivities, and Monaco (980xx, in La Poste's system).
 */
const FRENCH_POSTAL_SYSTEM = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF', 'NC', 'PF', 'WF', 'MC']);
const SPACES = /[\s\u00a0\u202f.]+/g;
/** "F-75001", "FR-75001", "FR 75001": the old European address prefix. */
const COUNTRY_PREFIX = /^F(?:R)?-?(?=\d)/i;
const FIVE_DIGITS = /^\d{5}$/;
const FOUR_DIGITS = /^\d{4}$/;

/**
 * French codes (country FR and the others in La Poste's system): 5 digits,
 * and a 4-digit one is padded: Excel turns "01000" into 1000. Codes start
 * 01–98. Other countries: trimmed as is, since formats differ too much
 * ("SW1A 1AA", "1000", "D02 X285") to check here. country null → as is:
 * a 4-digit code could be Belgian or Swiss, so callers pass a default
 * country (normaliseCustomer's defaultCountry) when they have one.
 */
export function normalisePostalCode(raw: string | null | undefined, country: string | null | undefined, field: string = KEY.postalCode): string | null {
  const code = country?.toUpperCase() ?? null;
  const french = code !== null && FRENCH_POSTAL_SYSTEM.has(code);
  // The common case, already clean: skip the clean-up.
  if (french && typeof raw === 'string' && FIVE_DIGITS.test(raw) && !raw.startsWith('00') && !raw.startsWith('99')) return raw;
  const s = cleanText(raw);
  if (s === null) return null;
  if (!french) return s;

  const compact = s.replace(SPACES, '').replace(COUNTRY_PREFIX, '');
  const padded = FOUR_DIGITS.test(compact) ? `0${compact}` : compact;
  if (!FIVE_DIGITS.test(padded) || padded.startsWith('00') || padded.startsWith('99')) {
    throw new ValidationError(field, `'${s}' is not a French postal code`, 'a French postal code has 5 digits, e.g. 75011 or 01000');
  }
  return padded;
}

/**
 * The département of a French postal code: two characters ("75", "01"),
 * "2A"/"2B" for Corsica (200xx–201xx south, 202xx–206xx north), three for
 * overseas ("971"…"976", "987"…, "980" for Monaco). null when not a French code.
 */
export function departmentOf(postalCode: string | null | undefined): string | null {
  if (postalCode === null || postalCode === undefined || !FIVE_DIGITS.test(postalCode)) return null;
  const two = postalCode.slice(0, 2);
  if (two === '97' || two === '98') return postalCode.slice(0, 3);
  if (two === '20') return Number(postalCode.slice(2, 3)) <= 1 ? '2A' : '2B';
  if (two === '00') return null;
  return two;
}
