/**
 * Typed spreadsheet values → the text the import reads, as the person
 * meant them: a date cell is an ISO date (not a serial number), a number
 * keeps all its digits (a SIRET of 14 digits is never "7.3282932E+13") and
 * loses the binary noise of floating point (12.300000000000001 → 12.3).
 * Leading zeros Excel dropped (postal codes, phones) are put back later by
 * the field normalisers, which know the column's meaning.
 */

const DAY_MS = 86_400_000;
/** Day 0 of the 1900 system is 1899-12-30 once Excel's phantom 1900-02-29 (serial 60) is passed. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** An Excel serial date (1900 or 1904 system) → "YYYY-MM-DD", or with "THH:MM:SS" when it has a time. */
export function serialToIso(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return null;
  let s = serial;
  // Serials 1–59 are Jan 1 – Feb 28, 1900, one day off because of the phantom Feb 29.
  if (!date1904 && s < 60) s += 1;
  const ms = Math.round(s * DAY_MS / 1000) * 1000 + (date1904 ? EPOCH_1904 : EPOCH_1900);
  const iso = new Date(ms).toISOString();
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)}T${time}`;
}

/** A number as text: integers whole, others at 15 significant digits (what the spreadsheet shows). */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(Number(n.toPrecision(15)));
}

/** Built-in number formats that are dates or times (ECMA-376 §18.8.30, and the locale ones Excel uses). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Does a number format show a date or a time? Quoted text, escapes, colours and conditions are not. */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (DATE_FORMAT_IDS.has(id)) return true;
  if (code === undefined) return false;
  const bare = code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '').replace(/_.|\*./g, '');
  if (/^general$/i.test(bare.trim())) return false;
  return /[dmyhs]/i.test(bare) && !/[#0?]/.test(bare.replace(/[.,]0+/g, ''));
}
