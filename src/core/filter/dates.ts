import type { FilterValue, RelativeUnit } from './ast.js';

/**
 * Date arithmetic for the filter language, in UTC because carnet stores
 * timestamps in UTC (`…Z`): `today` is the UTC calendar day of the clock.
 * Pure functions, no SQL: the parser validates literals with them and the SQL
 * compiler resolves relative dates with them.
 */

/**
 * Calendar dates: `YYYY-MM-DD`, French `DD/MM/YYYY`, or an instant
 * `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]][Z|±HH:MM]`; an instant without an offset is
 * taken as UTC, like the timestamps carnet stores. Returns undefined when the text
 * is not shaped like a date, null when it is shaped like one but does not exist.
 */
export function parseDateLiteral(raw: string): FilterValue | null | undefined {
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  const m =
    french === null
      ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(raw)
      : null;
  const [y, mo, d] = french !== null ? [french[3], french[2], french[1]] : [m?.[1], m?.[2], m?.[3]];
  if (y === undefined || mo === undefined || d === undefined) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const date = `${y}-${pad(month, 2)}-${pad(day, 2)}`;
  if (m === null || m[4] === undefined) return { kind: 'date', value: date };
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? '0');
  const millis = Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return null;
  const zone = m[8];
  if (zone === undefined || zone.toUpperCase() === 'Z') {
    return { kind: 'instant', value: `${date}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(millis, 3)}Z` };
  }
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  const offsetMinutes = offset === null ? 0 : (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  const instant = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute - offsetMinutes, second, millis);
  return { kind: 'instant', value: instant.toISOString() };
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The UTC calendar day `YYYY-MM-DD` of an instant. */
export function utcDay(instant: Date): string {
  return formatDay(instant.getUTCFullYear(), instant.getUTCMonth() + 1, instant.getUTCDate());
}

/**
 * The day `amount` units from the UTC day of `now`. Months and years keep the
 * day of month, clamped to the month's length (31 March − 1 month = 29 February).
 */
export function shiftDay(now: Date, amount: number, unit: RelativeUnit): string {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  const day = now.getUTCDate();
  if (unit === 'd' || unit === 'w') return addDays(formatDay(year, month, day), amount * (unit === 'w' ? 7 : 1));
  const total = year * 12 + (month - 1) + amount * (unit === 'y' ? 12 : 1);
  const newYear = Math.floor(total / 12);
  const newMonth = total - newYear * 12 + 1;
  return formatDay(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

/** `YYYY-MM-DD` plus a number of days. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days);
  return utcDay(date);
}

function formatDay(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
