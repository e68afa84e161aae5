import { ValidationError } from '../errors.js';
import { isLuhnValid } from './siret.js';
import { KEY } from '../fields/catalogue.js';

const SEPARATORS = /[\s.\-_/\u00a0\u202f]+/g;
/** FR + key (2 digits, or 2 letters/digits in the newer alphanumeric series) + SIREN. */
const FR_VAT = /^FR([0-9A-HJ-NP-Z]{2})(\d{9})$/;
const FR_NUMERIC_KEY = /^\d{2}$/;
/** "40 303 265 045": a French number typed without its FR prefix. */
const FR_WITHOUT_PREFIX = /^(\d{2})(\d{9})$/;

/**
 * The shape of each other EU (and neighbouring) VAT number, after the
 * two-letter prefix. Checked by shape only: their check digits vary by
 * country and VIES is the authority for whether a number is live.
 */
const EU_SHAPES: Readonly<Record<string, RegExp>> = {
  AT: /^U\d{8}$/,
  BE: /^[01]\d{9}$/,
  BG: /^\d{9,10}$/,
  CY: /^\d{8}[A-Z]$/,
  CZ: /^\d{8,10}$/,
  DE: /^\d{9}$/,
  DK: /^\d{8}$/,
  EE: /^\d{9}$/,
  EL: /^\d{9}$/,
  ES: /^[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^\d{8}$/,
  HR: /^\d{11}$/,
  HU: /^\d{8}$/,
  IE: /^\d{7}[A-W][A-IW]?$|^\d[A-Z+*]\d{5}[A-W]$/,
  IT: /^\d{11}$/,
  LT: /^\d{9}$|^\d{12}$/,
  LU: /^\d{8}$/,
  LV: /^\d{11}$/,
  MT: /^\d{8}$/,
  NL: /^\d{9}B\d{2}$/,
  PL: /^\d{10}$/,
  PT: /^\d{9}$/,
  RO: /^\d{2,10}$/,
  SE: /^\d{12}$/,
  SI: /^\d{8}$/,
  SK: /^\d{10}$/,
  // Northern Ireland keeps an EU VAT prefix; GB and CHE are common on French invoices.
  XI: /^\d{9}$|^\d{12}$|^(?:GD|HA)\d{3}$/,
  GB: /^\d{9}$|^\d{12}$|^(?:GD|HA)\d{3}$/,
};
/** Swiss UID as printed on invoices: CHE-123.456.789 TVA/MWST/IVA. */
const SWISS = /^CHE(\d{9})(?:TVA|MWST|IVA)?$/;

/** The French key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97. */
export function frenchVatKey(siren: string): number {
  return (12 + 3 * (Number(siren) % 97)) % 97;
}

/** The French VAT number of a SIREN, e.g. for a customer who only gave a SIRET. */
export function frenchVatOf(siren: string): string {
  return `FR${String(frenchVatKey(siren)).padStart(2, '0')}${siren}`;
}

function checkFrench(key: string, siren: string, shown: string, field: string): string {
  // Monaco's companies have French VAT numbers whose "SIREN" starts 000 and is no SIREN.
  if (!siren.startsWith('000') && !isLuhnValid(siren)) {
    throw new ValidationError(field, `'${shown}' is not a valid French VAT number (its SIREN ${siren} is invalid)`);
  }
  if (FR_NUMERIC_KEY.test(key) && Number(key) !== frenchVatKey(siren)) {
    throw new ValidationError(field, `'${shown}' is not a valid French VAT number (wrong key)`, `for SIREN ${siren} it is ${frenchVatOf(siren)}`);
  }
  return `FR${key}${siren}`;
}

/**
 * Cleans and validates an intra-community VAT number: upper-case, no
 * separators. French numbers have their key checked against the SIREN;
 * other prefixes are checked by shape. null/empty → null.
 */
export function normaliseVat(raw: string | null | undefined, field: string = KEY.vatNumber): string | null {
  if (raw === null || raw === undefined) return null;
  const v = raw.replace(SEPARATORS, '').toUpperCase();
  if (v === '') return null;
  const shown = raw.trim();

  const fr = FR_VAT.exec(v);
  if (fr?.[1] !== undefined && fr[2] !== undefined) return checkFrench(fr[1], fr[2], shown, field);
  const bare = FR_WITHOUT_PREFIX.exec(v);
  if (bare?.[1] !== undefined && bare[2] !== undefined && Number(bare[1]) === frenchVatKey(bare[2])) {
    return checkFrench(bare[1], bare[2], shown, field);
  }
  const swiss = SWISS.exec(v);
  if (swiss) return v;

  const prefix = v.slice(0, 2);
  const shape = EU_SHAPES[prefix === 'GR' ? 'EL' : prefix];
  if (shape === undefined) {
    throw new ValidationError(field, `'${shown}' is not a VAT number`, 'an intra-community VAT number starts with its country code, e.g. FR40303265045');
  }
  const body = v.slice(2);
  if (!shape.test(body)) {
    throw new ValidationError(field, `'${shown}' is not a valid ${prefix} VAT number`, 'check it on the EU VIES service');
  }
  // Greece's VAT prefix is EL, not its ISO code.
  return prefix === 'GR' ? `EL${body}` : v;
}
