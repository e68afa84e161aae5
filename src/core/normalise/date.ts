import { ValidationError } from '../errors.js';
import { cleanText, fold } from './text.js';

/**
 * Dates as they appear in French files and exports. Day-first always: a
 * "12/31/2024" is refused rather than silently read month-first, because
 * guessing per row would mix both readings inside one file.
 */

const HINT = 'write dates as dd/mm/yyyy or yyyy-mm-dd';

// Compiled once; each captures the date part and leaves the rest (a time) in the last group.
/** Between a date and its time: "T", spaces, or French " à " ("3/1/2024 à 14h30"). The "à" is tried first. */
const TIME_SEP = String.raw`(?:,?\s*[àa]\s+|\s*T\s*|,?\s+)`;
const ISO = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:${TIME_SEP}(.*))?$`, 'i');
const DMY = new RegExp(String.raw`^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:${TIME_SEP}(.*))?$`, 'i');
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const EXCEL_SERIAL = /^(\d{5})(?:[.,](\d+))?$/;
/** "3 janvier 2024", "1er janv. 2024", "lundi 3 janvier 2024", "3 January 2024" (after fold). */
const NAMED = new RegExp(String.raw`^(?:[a-z]+\.?,?\s+)?(\d{1,2})(?:er|e|st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})(?:${TIME_SEP}(.*))?$`);
/** "January 3, 2024", "Jan 3 2024" (English month-first, unambiguous with a month name). */
const NAMED_MONTH_FIRST = new RegExp(String.raw`^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:${TIME_SEP}(.*))?$`);
/** 14:30, 14:30:15, 14:30:15.250, 14h30, 14h, optionally followed by Z or ±hh:mm. */
const TIME = /^(\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?|h(\d{2})?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const MONTHS: Readonly<Record<string, number>> = {
  janvier: 1, janv: 1, jan: 1, january: 1,
  fevrier: 2, fevr: 2, fev: 2, february: 2, feb: 2,
  mars: 3, mar: 3, march: 3,
  avril: 4, avr: 4, april: 4, apr: 4,
  mai: 5, may: 5,
  juin: 6, june: 6, jun: 6,
  juillet: 7, juil: 7, july: 7, jul: 7,
  aout: 8, august: 8, aug: 8,
  septembre: 9, sept: 9, sep: 9, september: 9,
  octobre: 10, oct: 10, october: 10,
  novembre: 11, nov: 11, november: 11,
  decembre: 12, dec: 12, december: 12,
};

/** Excel's day 0 is 1899-12-30 (it counts a 29/02/1900 that never was; serials past it line up). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
/**
 * Two-digit years: 20yy up to ten years ahead of now, 19yy beyond (in 2025,
 * "35" → 2035, "36" → 1936). Fixed when the module loads so one run reads
 * every row alike.
 */
const PIVOT = (new Date().getUTCFullYear() + 10) % 100;

interface DateParts {
  y: number;
  m: number;
  d: number;
  /** Whatever followed the date (a time), or undefined. */
  rest: string | undefined;
  /** An Excel serial's fraction of a day. */
  dayFraction?: number;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function isRealDate(y: number, m: number, d: number): boolean {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function fullYear(yy: string): number {
  const n = Number(yy);
  if (yy.length === 4) return n;
  return n <= PIVOT ? 2000 + n : 1900 + n;
}

function impossible(field: string, shown: string): never {
  throw new ValidationError(field, `'${shown}' is not a real date`, HINT);
}

/** Splits any accepted form into parts; throws on a form we recognise but whose date does not exist. */
function parseParts(s: string, field: string): DateParts | undefined {
  let m = ISO.exec(s);
  if (m) return check({ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), rest: m[4] }, field, s);
  m = DMY.exec(s);
  if (m?.[3] !== undefined) return check({ y: fullYear(m[3]), m: Number(m[2]), d: Number(m[1]), rest: m[4] }, field, s);
  m = COMPACT.exec(s);
  if (m) {
    // FEBRL writes yyyymmdd; a French export may write ddmmyyyy. The year range decides.
    const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), rest: undefined };
    if (ymd.y >= 1800 && isRealDate(ymd.y, ymd.m, ymd.d)) return ymd;
    const d = Number(s.slice(0, 2));
    const mo = Number(s.slice(2, 4));
    const y = Number(s.slice(4));
    if (y >= 1800 && isRealDate(y, mo, d)) return { y, m: mo, d, rest: undefined };
    impossible(field, s);
  }
  m = EXCEL_SERIAL.exec(s);
  if (m) {
    const serial = Number(m[1]);
    if (serial < 20_000 || serial > 80_000) return undefined;
    const day = new Date(EXCEL_EPOCH_MS + serial * DAY_MS);
    const dayFraction = m[2] === undefined ? 0 : Number(`0.${m[2]}`);
    return { y: day.getUTCFullYear(), m: day.getUTCMonth() + 1, d: day.getUTCDate(), rest: undefined, dayFraction };
  }
  const folded = fold(s);
  m = NAMED.exec(folded);
  if (m?.[2] !== undefined) {
    const month = MONTHS[m[2]];
    if (month !== undefined) return check({ y: Number(m[3]), m: month, d: Number(m[1]), rest: m[4] }, field, s);
  }
  m = NAMED_MONTH_FIRST.exec(folded);
  if (m?.[1] !== undefined) {
    const month = MONTHS[m[1]];
    if (month !== undefined) return check({ y: Number(m[3]), m: month, d: Number(m[2]), rest: m[4] }, field, s);
  }
  return undefined;
}

function check(p: DateParts, field: string, shown: string): DateParts {
  if (!isRealDate(p.y, p.m, p.d)) impossible(field, shown);
  return p;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoDate(p: DateParts): string {
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}

interface TimeParts {
  h: number;
  mi: number;
  sec: number;
  ms: number;
  /** Minutes east of UTC, or undefined for local time. */
  offsetMin: number | undefined;
}

const TIME_HINT = 'write the time as hh:mm or hh:mm:ss, e.g. 14:30';

/** The time after a date, or undefined when there is none. Throws on text that is not a time. */
function parseTime(rest: string | undefined, field: string, shown: string): TimeParts | undefined {
  const r = rest?.trim();
  if (r === undefined || r === '') return undefined;
  const t = TIME.exec(r);
  if (!t) throw new ValidationError(field, `'${shown}' has a time I cannot read`, TIME_HINT);
  const h = Number(t[1]);
  const mi = Number(t[2] ?? t[5] ?? 0);
  const sec = Number(t[3] ?? 0);
  const ms = t[4] === undefined ? 0 : Number(t[4].slice(0, 3).padEnd(3, '0'));
  if (h > 23 || mi > 59 || sec > 59) throw new ValidationError(field, `'${shown}' is not a real time`, TIME_HINT);
  const zone = t[6];
  let offsetMin: number | undefined;
  if (zone !== undefined) {
    offsetMin = 0;
    if (zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = Number(digits.slice(2, 4) || 0);
      if (oh > 14 || om > 59) throw new ValidationError(field, `'${shown}' has an impossible time zone`, TIME_HINT);
      offsetMin = sign * (oh * 60 + om);
    }
  }
  return { h, mi, sec, ms, offsetMin };
}

/**
 * An ISO date `YYYY-MM-DD` from dd/mm/yyyy (or - .), d/m/yy, yyyy-mm-dd,
 * an ISO date-time (its date as written), yyyymmdd, an Excel serial
 * (20000..80000, i.e. 1954..2119) or a date with a French or English month
 * name. null/empty → null; anything else, or 31/02, → ValidationError.
 */
export function parseDate(raw: string | null | undefined, field = 'date'): string | null {
  const s = cleanText(raw);
  if (s === null) return null;
  const p = parseParts(s, field);
  if (p === undefined) throw new ValidationError(field, `'${s}' is not a date`, HINT);
  // A time after the date is allowed (and dropped), but not any text: "12/03/2024 ou 13/03" is no date.
  parseTime(p.rest, field, s);
  return isoDate(p);
}

/**
 * An ISO-8601 UTC instant `YYYY-MM-DDTHH:MM:SS.sssZ` from any form parseDate
 * accepts, optionally followed by a time (14:30, 14:30:05, 14h30) and a
 * zone (Z, +02:00). A bare date is midnight UTC. A time without a zone is
 * the machine's local time: that is what a person typing "14h30" means.
 */
export function parseDateTime(raw: string | null | undefined, field = 'date'): string | null {
  const s = cleanText(raw);
  if (s === null) return null;
  const p = parseParts(s, field);
  if (p === undefined) throw new ValidationError(field, `'${s}' is not a date and time`, `${HINT}, optionally followed by hh:mm`);
  if (p.dayFraction !== undefined && p.dayFraction > 0) {
    // Excel stores wall-clock time as a fraction of the day, in no zone: local time.
    return new Date(p.y, p.m - 1, p.d, 0, 0, 0, Math.round(p.dayFraction * DAY_MS)).toISOString();
  }
  const t = parseTime(p.rest, field, s);
  if (t === undefined) return `${isoDate(p)}T00:00:00.000Z`;
  if (t.offsetMin === undefined) return new Date(p.y, p.m - 1, p.d, t.h, t.mi, t.sec, t.ms).toISOString();
  return new Date(Date.UTC(p.y, p.m - 1, p.d, t.h, t.mi, t.sec, t.ms) - t.offsetMin * 60_000).toISOString();
}
