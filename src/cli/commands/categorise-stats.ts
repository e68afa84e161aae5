import type { Command } from 'commander';
import type { PortfolioStats } from '../../core/categorise/index.js';
import { barStyle, chart, type Bar, type BarStyle } from '../bars.js';
import { globalsOf, withCtx } from '../context.js';
import { examples } from '../help.js';
import { out, paint, printJson } from '../output.js';

const TOP_DEPARTMENTS = 12;
const euros = (n: number): string => `${Math.round(n).toLocaleString('fr-FR').replace(/\s/g, ' ')} €`;
const pct = (part: number, whole: number): string => (whole > 0 ? `${Math.round((100 * part) / whole)} %` : '—');

function counted(rows: { label: string; count: number }[], total: number): Bar[] {
  return rows.map((r) => ({ label: r.label, value: r.count, note: `${r.count} (${pct(r.count, total)})` }));
}

/** The portfolio as charts; presentation only, the numbers come from the core. */
export function statsText(s: PortfolioStats, style: BarStyle): string {
  const n = s.customers.counted;
  const c = s.revenue.concentration;
  const depts = s.byDepartment.slice(0, TOP_DEPARTMENTS).map((d) => ({ label: d.department ?? '(none)', count: d.count }));
  const rest = s.byDepartment.slice(TOP_DEPARTMENTS).reduce((k, d) => k + d.count, 0);
  if (rest > 0) depts.push({ label: 'other', count: rest });
  const bandLabel = (b: PortfolioStats['revenue']['bands'][number]): string =>
    b.band === 'big' ? `big ≥ ${euros(b.from)}` : b.band === 'medium' ? `medium ≥ ${euros(b.from)}` : `small < ${euros(b.to ?? 0)}`;
  const withRevenue = s.revenue.bands.reduce((k, b) => k + b.clients, 0);
  return [
    `Portfolio: ${n} customer${n === 1 ? '' : 's'}` +
      (s.lastCategorisedAt ? ` · categorised ${s.lastCategorisedAt.slice(0, 16).replace('T', ' ')} UTC` : ' · never categorised: run `carnet categorise`') +
      (s.customers.archived + s.customers.restricted > 0 ? `\n  not counted: ${s.customers.archived} archived, ${s.customers.restricted} restricted` : ''),
    '',
    chart('By status', counted(s.byStatus.map((x) => ({ label: x.status, count: x.count })), n), style),
    '',
    chart(`Revenue${s.revenue.since ? ` since ${s.revenue.since}` : ''} by client band`, s.revenue.bands.map((b) => ({ label: bandLabel(b), value: b.clients, note: `${b.clients} (${pct(b.clients, withRevenue)}) · ${euros(b.revenue)}` })), style),
    c
      ? `  ${c.clientsFor80} of ${c.clients} clients (${pct(c.clientsFor80, c.clients)}) make 80 % of the ${euros(c.total)} invoiced\n` +
        `  the top 20 % of clients make ${pct(c.top20Share, 1)} of it; ${s.revenue.withoutRevenue} customers without revenue`
      : '  no invoiced revenue yet',
    '',
    chart('By RFM segment', counted(s.bySegment.filter((x) => x.count > 0).map((x) => ({ label: x.segment, count: x.count })), n), style),
    '',
    chart('By category', counted(s.byCategory.filter((x) => x.kind !== 'rfm').map((x) => ({ label: x.name, count: x.count })), n), style),
    '',
    chart(`By département${rest > 0 ? ` (top ${TOP_DEPARTMENTS})` : ''}`, counted(depts, n), style),
  ].join('\n');
}

export function registerStats(program: Command): void {
  const cmd = program
    .command('stats')
    .description('the structure of the portfolio: statuses, categories, RFM segments, départements, revenue concentration and bands')
    .option('--since <date>', 'count revenue from sales issued on or after this date (default: all time)');
  examples(cmd, ['carnet stats', 'carnet stats --since 2026-01-01', 'carnet stats --json | jq .revenue']);
  cmd.action(async (opts: { since?: string }, c: Command) => {
    const g = globalsOf(c);
    await withCtx(g, async (ctx) => {
      const { portfolioStats } = await import('../../core/categorise/index.js');
      const s = portfolioStats(ctx, { since: opts.since });
      if (g.json) {
        const { lastCategorisedAt, byStatus, byCategory, bySegment, byDepartment, revenue, customers } = s;
        const conc = revenue.concentration;
        printJson({
          last_categorised_at: lastCategorisedAt,
          customers,
          by_status: byStatus,
          by_category: byCategory,
          by_segment: bySegment,
          by_department: byDepartment,
          revenue: {
            since: revenue.since,
            total: conc?.total ?? 0,
            clients: conc?.clients ?? 0,
            clients_for_80_percent: conc?.clientsFor80 ?? null,
            share_for_80_percent: conc?.shareFor80 ?? null,
            top_20_percent_share: conc?.top20Share ?? null,
            without_revenue: revenue.withoutRevenue,
            bands: revenue.bands,
          },
        });
        return;
      }
      const p = paint(g, process.stdout);
      out(statsText(s, { ...barStyle(process.stdout), color: (x) => p.cyan(x) }));
    });
  });
}
