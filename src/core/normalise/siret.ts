import { ValidationError } from '../errors.js';
import { KEY } from '../fields/catalogue.js';

/** Spaces of every kind, dots, dashes, underscores: how SIRETs get written ("123 456 789 00012", "123.456.789-00012"). */
const SEPARATORS = /[\s.\-_\u00a0\u202f]+/g;
const DIGITS = /^\d+$/;
/** La Poste's establishments share SIREN 356000000 and use a different check (see isValidSiret). */
const LA_POSTE_SIREN = '356000000';
/** La Poste's head office is numbered by the ordinary Luhn rule, not the digit-sum one. */
const LA_POSTE_HEAD_OFFICE = '35600000000048';

/** Luhn (mod 10) over a string of digits, as INSEE uses for SIREN and SIRET. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += digits.charCodeAt(i) - 48;
  return sum;
}

/** A 9-digit SIREN with a valid Luhn key. */
export function isValidSiren(digits: string): boolean {
  return digits.length === 9 && DIGITS.test(digits) && isLuhnValid(digits);
}

/**
 * A 14-digit SIRET: Luhn over the 14 digits, and its SIREN valid too. La
 * Poste (SIREN 356000000) numbers its establishments so that the sum of the
 * 14 digits is a multiple of 5 instead — except its head office.
 */
export function isValidSiret(digits: string): boolean {
  if (digits.length !== 14 || !DIGITS.test(digits)) return false;
  if (digits.startsWith(LA_POSTE_SIREN) && digits !== LA_POSTE_HEAD_OFFICE) return digitSum(digits) % 5 === 0;
  return isLuhnValid(digits) && isLuhnValid(digits.slice(0, 9));
}

/**
 * Cleans and validates a SIRET (14 digits) or, failing that, a SIREN
 * (9 digits, returned as is: a company file may only know the company, not
 * the establishment). null/empty → null.
 *
 * A 13- or 8-digit number that becomes valid with a leading zero is padded:
 * Excel drops leading zeros of numeric cells, and a prepended 0 does not
 * change a Luhn sum, so the key still guards it.
 */
export function normaliseSiret(raw: string | null | undefined, field: string = KEY.siret): string | null {
  if (raw === null || raw === undefined) return null;
  const digits = raw.replace(SEPARATORS, '');
  if (digits === '') return null;
  const shown = raw.trim();
  if (!DIGITS.test(digits)) {
    throw new ValidationError(field, `'${shown}' is not a SIRET: only digits are expected`, 'a SIRET has 14 digits, a SIREN 9');
  }
  if (digits.length === 14 || digits.length === 13) {
    const siret = digits.length === 13 ? `0${digits}` : digits;
    if (isValidSiret(siret)) return siret;
    throw new ValidationError(field, `'${shown}' is not a valid SIRET (wrong check digit)`, 'check the number on annuaire-entreprises.data.gouv.fr');
  }
  if (digits.length === 9 || digits.length === 8) {
    const siren = digits.length === 8 ? `0${digits}` : digits;
    if (isValidSiren(siren)) return siren;
    throw new ValidationError(field, `'${shown}' is not a valid SIREN (wrong check digit)`, 'check the number on annuaire-entreprises.data.gouv.fr');
  }
  throw new ValidationError(field, `'${shown}' is not a SIRET: ${digits.length} digits`, 'a SIRET has 14 digits, a SIREN 9');
}

/** The SIREN (first 9 digits) of a normalised SIRET or SIREN. */
export function sirenOf(siret: string): string {
  return siret.slice(0, 9);
}
