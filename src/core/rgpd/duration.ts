import { ValidationError } from '../errors.js';
import { shiftDay } from '../filter/dates.js';

/**
 * Retention periods as people write them: 3y, 18m, 90d, 6w (also "3 ans",
 * "18 mois", "90 jours"). Calendar arithmetic in UTC days, like the filter
 * language: 3 years before 2026-11-23 is 2023-11-23, so a contact on
 * 2023-11-22 is "older than 3 years" and one on 2023-11-23 is not.
 */
export type DurationUnit = 'y' | 'm' | 'w' | 'd';

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

const UNIT_WORDS: Readonly<Record<string, DurationUnit>> = {
  y: 'y', yr: 'y', yrs: 'y', year: 'y', years: 'y', a: 'y', an: 'y', ans: 'y', annee: 'y', annees: 'y',
  m: 'm', mo: 'm', month: 'm', months: 'm', mois: 'm',
  w: 'w', wk: 'w', week: 'w', weeks: 'w', sem: 'w', semaine: 'w', semaines: 'w',
  d: 'd', day: 'd', days: 'd', j: 'd', jour: 'd', jours: 'd',
};

const SHAPE = /^(\d{1,4})\s*([a-zéè]+)$/;

/** Parses "3y" and friends; throws a ValidationError naming `field` otherwise. */
export function parseDuration(raw: string, field: string): Duration {
  const text = raw.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const m = SHAPE.exec(text);
  const unit = m?.[2] !== undefined ? UNIT_WORDS[m[2]] : undefined;
  const amount = Number(m?.[1]);
  if (!m || unit === undefined) {
    throw new ValidationError(field, `'${raw}' is not a duration`, 'write it like 3y, 18m, 6w or 90d');
  }
  if (amount <= 0) throw new ValidationError(field, `'${raw}' is not a positive duration`, 'a retention period of zero would erase everything at once');
  const days = toApproxDays({ amount, unit });
  if (days > 100 * 366) throw new ValidationError(field, `'${raw}' is longer than a century`, 'write it in years, e.g. 10y');
  return { amount, unit };
}

export function formatDuration(d: Duration): string {
  return `${d.amount}${d.unit}`;
}

/** Words for a person: "3 years", "18 months". */
export function describeDuration(d: Duration): string {
  const word = { y: 'year', m: 'month', w: 'week', d: 'day' }[d.unit];
  return `${d.amount} ${word}${d.amount === 1 ? '' : 's'}`;
}

export function toApproxDays(d: Duration): number {
  return d.amount * { y: 365.25, m: 30.44, w: 7, d: 1 }[d.unit];
}

/** The UTC day `d` before `now`: anything dated strictly before it is older than the limit. */
export function cutoffDay(now: Date, d: Duration): string {
  return shiftDay(now, -d.amount, d.unit);
}

/** The UTC day `d` after a stored date or instant (when a rule will next apply). */
export function dayAfter(date: string, d: Duration): string {
  const t = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
  return shiftDay(new Date(t), d.amount, d.unit);
}

/** The later of several stored dates/instants (ISO strings compare in time order), nulls ignored. */
export function latest(...dates: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const d of dates) if (d && (best === null || d > best)) best = d;
  return best;
}
