import type { Ctx } from '../context.js';
import type { FollowupReason } from '../../db/repositories/categorise-compute.js';
import { briefOf, computeRepo, daysBetween, limitsOf, type CustomerBrief } from './common.js';
import { readSettings } from './settings.js';

export type { FollowupReason };

export interface FollowupItem {
  reason: FollowupReason;
  /** quote: its issue date; invoice: its due date; no_contact: the last contact, sale or interaction. */
  since: string;
  /** Whole days from `since` to today. */
  days: number;
  number: string | null;
  amountCents: number | null;
  currency: string | null;
}

export interface Followup extends CustomerBrief {
  /** The oldest `since` of the reasons. */
  since: string;
  days: number;
  reasons: FollowupItem[];
}

export interface FollowupsResult {
  today: string;
  settings: { quoteDays: number; invoiceGraceDays: number; invoiceTermsDays: number; noContactMonths: number };
  followups: Followup[];
}

/**
 * `carnet followups`: who to chase today and why, oldest first, computed from
 * the data as it stands (no need to run categorise first): quotes still sent
 * after `followup.quote_days`, invoices unpaid past their due date, active
 * clients with no contact for `followup.no_contact_months`. Archived and
 * restricted customers are left out. `limit`: the oldest customers only.
 */
export function listFollowups(ctx: Ctx, opts: { limit?: number } = {}): FollowupsResult {
  const settings = readSettings(ctx);
  const limits = limitsOf(ctx.now(), settings);
  const compute = computeRepo(ctx);
  let rows;
  try {
    compute.prepareAggregates();
    compute.prepareBase({ columns: [], folded: new Set() }, limits.formerLimit);
    compute.computeFollowups(limits);
    rows = compute.followupRows(opts.limit ?? null);
  } finally {
    compute.dropTemp();
  }
  const byCustomer = new Map<number, Followup>();
  for (const r of rows) {
    const item: FollowupItem = {
      reason: r.reason,
      since: r.since,
      days: daysBetween(r.since, limits.today),
      number: r.number,
      amountCents: r.amount_cents,
      currency: r.currency,
    };
    const f = byCustomer.get(r.customer_id);
    if (f) f.reasons.push(item);
    else byCustomer.set(r.customer_id, { ...briefOf(r), since: item.since, days: item.days, reasons: [item] });
  }
  // Rows come sorted by since, so each customer's first reason is its oldest and Map order is oldest first.
  return {
    today: limits.today,
    settings: { quoteDays: settings.quoteDays, invoiceGraceDays: settings.invoiceGraceDays, invoiceTermsDays: settings.invoiceTermsDays, noContactMonths: settings.noContactMonths },
    followups: [...byCustomer.values()],
  };
}

// One formatter for all: toLocaleString builds a new one per call, which shows on long lists.
const EUROS = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function money(cents: number, currency: string | null): string {
  const n = EUROS.format(cents / 100).replace(/\u202f|\u00a0/g, ' ');
  return currency === 'EUR' || currency === null ? `${n} €` : `${n} ${currency}`;
}

/** One reason in words, e.g. "invoice F-12 (1 200,00 €) unpaid since its due date 2026-10-10". */
export function describeFollowup(item: FollowupItem): string {
  const what = (kind: string): string =>
    [kind, item.number, item.amountCents !== null ? `(${money(item.amountCents, item.currency)})` : null].filter(Boolean).join(' ');
  switch (item.reason) {
    case 'quote':
      return `${what('quote')} unanswered since ${item.since}`;
    case 'invoice':
      return `${what('invoice')} unpaid since its due date ${item.since}`;
    case 'no_contact':
      return `no contact since ${item.since}`;
  }
}
