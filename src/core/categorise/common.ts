import type { Ctx } from '../context.js';
import { displayNameOfRecord, phoneOfRecord } from '../customers/display.js';
import { addDays, shiftDay, utcDay } from '../filter/dates.js';
import { CategoriseRepo, type CustomerNameRow } from '../../db/repositories/categorise.js';
import { CategoriseComputeRepo, type RunLimits } from '../../db/repositories/categorise-compute.js';
import { CategoriseMembersRepo } from '../../db/repositories/categorise-members.js';
import { CategoriseStatsRepo } from '../../db/repositories/categorise-stats.js';
import type { CategoriseSettings } from './settings.js';
import { RFM_PREFIX } from './rfm.js';
import { foldName } from './rules.js';

/** The built-in follow-up category, recomputed by `carnet categorise` (assigned_by lifecycle). */
export const FOLLOWUP_CATEGORY = 'à relancer';
export const FOLLOWUP_DESCRIPTION = 'to follow up: quote unanswered, invoice overdue, or a client not heard of for months (built-in)';

export function categoriseRepo(ctx: Ctx): CategoriseRepo {
  return ctx.store.extension('categorise', (db) => new CategoriseRepo(db));
}

export function computeRepo(ctx: Ctx): CategoriseComputeRepo {
  return ctx.store.extension('categorise-compute', (db) => new CategoriseComputeRepo(db));
}

export function membersRepo(ctx: Ctx): CategoriseMembersRepo {
  return ctx.store.extension('categorise-members', (db) => new CategoriseMembersRepo(db));
}

export function statsRepo(ctx: Ctx): CategoriseStatsRepo {
  return ctx.store.extension('categorise-stats', (db) => new CategoriseStatsRepo(db));
}

/** Names carnet computes itself: people may tag with them but not create or rule them. */
export function isBuiltinName(name: string): boolean {
  const folded = foldName(name.trim());
  return folded === foldName(FOLLOWUP_CATEGORY) || folded.startsWith(RFM_PREFIX);
}

/** A customer as lists of changes show them: never more than needed to recognise them. */
export interface CustomerBrief {
  id: number;
  uid: string;
  name: string;
  email: string | null;
  phone: string | null;
}

export function briefOf(r: CustomerNameRow): CustomerBrief {
  const phone = phoneOfRecord(r);
  return {
    id: r.id,
    uid: r.uid,
    name: displayNameOfRecord(r, phone),
    email: r.email,
    phone,
  };
}

export function customerBriefs(ctx: Ctx, ids: readonly number[]): Map<number, CustomerBrief> {
  return new Map(categoriseRepo(ctx).customerNames([...new Set(ids)]).map((r) => [r.id, briefOf(r)]));
}

export function briefsOf(map: Map<number, CustomerBrief>, ids: readonly number[]): CustomerBrief[] {
  return ids.map((id) => map.get(id)).filter((b): b is CustomerBrief => b !== undefined);
}

export interface Limits extends RunLimits {
  today: string;
}

/** The day limits of a run from the clock and the settings (UTC days, like the filter language). */
export function limitsOf(now: Date, s: CategoriseSettings): Limits {
  const today = utcDay(now);
  return {
    today,
    formerLimit: shiftDay(now, -s.formerAfterMonths, 'm'),
    quoteLimit: addDays(today, -s.quoteDays),
    invoiceLimit: addDays(today, -s.invoiceGraceDays),
    invoiceTermsDays: s.invoiceTermsDays,
    contactLimit: shiftDay(now, -s.noContactMonths, 'm'),
  };
}

/** Whole days from `day` to `today` (both `YYYY-MM-DD`). */
export function daysBetween(day: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${day.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}
