import type { Ctx } from '../context.js';
import { UsageError, ValidationError } from '../errors.js';
import type { CategoryKind } from '../model.js';
import { parseDate } from '../normalise/index.js';
import type { PopulationGroup } from '../../db/repositories/categorise-stats.js';
import { categoriseRepo, statsRepo } from './common.js';
import { RFM_SEGMENTS } from './rfm.js';
import { readSettings } from './settings.js';

export interface StatsInput {
  /** Count revenue from sales issued on or after this day (any date carnet reads); default: all time. */
  since?: string;
}

export type BandName = 'big' | 'medium' | 'small';

export interface RevenueBand {
  band: BandName;
  /** Euros, inclusive. */
  from: number;
  /** Euros, exclusive; null for the top band. */
  to: number | null;
  clients: number;
  revenue: number;
}

export interface Concentration {
  total: number;
  clients: number;
  /** How many of the largest clients make 80 % of the revenue. */
  clientsFor80: number;
  /** That count as a share of the clients with revenue (0–1). */
  shareFor80: number;
  /** Share of the revenue made by the largest 20 % of clients (0–1). */
  top20Share: number;
}

export interface PortfolioStats {
  lastCategorisedAt: string | null;
  customers: { counted: number; archived: number; restricted: number };
  byStatus: { status: string; count: number }[];
  byCategory: { name: string; kind: CategoryKind; count: number }[];
  bySegment: { segment: string; category: string; count: number; description: string }[];
  byDepartment: { department: string | null; count: number }[];
  revenue: { since: string | null; concentration: Concentration | null; bands: RevenueBand[]; withoutRevenue: number };
}

/** Concentration and bands from per-client revenues in cents, largest first (pure, for tests). */
export function revenueStructure(
  cents: readonly number[],
  bands: { bigEuros: number; mediumEuros: number },
): { concentration: Concentration | null; bands: RevenueBand[] } {
  const total = cents.reduce((s, c) => s + c, 0);
  const out: RevenueBand[] = [
    { band: 'big', from: bands.bigEuros, to: null, clients: 0, revenue: 0 },
    { band: 'medium', from: bands.mediumEuros, to: bands.bigEuros, clients: 0, revenue: 0 },
    { band: 'small', from: 0, to: bands.mediumEuros, clients: 0, revenue: 0 },
  ];
  for (const c of cents) {
    const band = c >= bands.bigEuros * 100 ? out[0] : c >= bands.mediumEuros * 100 ? out[1] : out[2];
    if (band) {
      band.clients++;
      band.revenue += c;
    }
  }
  for (const b of out) b.revenue = b.revenue / 100;
  if (cents.length === 0 || total <= 0) return { concentration: null, bands: out };
  // The smallest k whose largest clients reach 80 %; integer cents keep this exact.
  let k = 0;
  let running = 0;
  while (k < cents.length && running * 10 < total * 8) running += cents[k++] ?? 0;
  const top = Math.ceil(cents.length * 0.2);
  const topSum = cents.slice(0, top).reduce((s, c) => s + c, 0);
  return {
    concentration: { total: total / 100, clients: cents.length, clientsFor80: k, shareFor80: k / cents.length, top20Share: topSum / total },
    bands: out,
  };
}

/** Counts by key, largest first (ties by key; null last). */
function tally<K extends string | null>(groups: readonly PopulationGroup[], key: (g: PopulationGroup) => K): [K, number][] {
  const m = new Map<K, number>();
  for (const g of groups) m.set(key(g), (m.get(key(g)) ?? 0) + g.count);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] === null ? 1 : b[0] === null ? -1 : a[0].localeCompare(b[0])));
}

/** --since is a flag: a bad date is a usage error (exit 2), not rejected data. */
function sinceDay(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return parseDate(raw, '--since');
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(err.message, 'e.g. --since 2026-01-01 or --since 01/01/2026');
    throw err;
  }
}

/**
 * `carnet stats`: the structure of the portfolio — statuses, categories, RFM
 * segments and départements as they stand after the last `carnet categorise`,
 * and revenue concentration and bands computed now. Archived and restricted
 * customers are counted apart and left out of everything else.
 */
export function portfolioStats(ctx: Ctx, input: StatsInput = {}): PortfolioStats {
  const settings = readSettings(ctx);
  const since = sinceDay(input.since);
  const stats = statsRepo(ctx);
  const groups = stats.population();
  const sum = (pick: (g: PopulationGroup) => boolean): number => groups.reduce((n, g) => n + (pick(g) ? g.count : 0), 0);
  const counted = groups.filter((g) => g.out === 0);
  const counts = categoriseRepo(ctx).counts({ eligibleOnly: true });
  const segmentCount = new Map(counts.filter((c) => c.category.kind === 'rfm').map((c) => [c.category.name, c.members]));
  const cents = stats.revenues(since);
  const structure = revenueStructure(cents, { bigEuros: settings.bandBigEuros, mediumEuros: settings.bandMediumEuros });
  const eligible = sum((g) => g.out === 0);
  return {
    lastCategorisedAt: ctx.store.settings.get('categorise.last_run_at') ?? null,
    customers: { counted: eligible, archived: sum((g) => g.out === 1), restricted: sum((g) => g.out === 2) },
    byStatus: tally(counted, (g) => g.status).map(([status, count]) => ({ status, count })),
    byCategory: counts
      .filter((c) => c.category.kind !== 'rfm')
      .map((c) => ({ name: c.category.name, kind: c.category.kind, count: c.members }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    bySegment: RFM_SEGMENTS.map((s) => ({ segment: s.key, category: s.category, count: segmentCount.get(s.category) ?? 0, description: s.description })),
    byDepartment: tally(counted, (g) => g.department).map(([department, count]) => ({ department, count })),
    revenue: { since, concentration: structure.concentration, bands: structure.bands, withoutRevenue: eligible - cents.length },
  };
}
