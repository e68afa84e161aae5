import type { Ctx } from '../context.js';
import { displayNameOfRecord } from '../customers/display.js';
import type { RetentionRow } from '../../db/repositories/rgpd.js';
import { cutoffDay, describeDuration, formatDuration, latest } from './duration.js';
import { rgpdRepo } from './erase.js';
import { readPolicy, type Policy } from './policy.js';

export type PurgeRule = 'prospect' | 'client-marketing' | 'invoices' | 'inactive-anonymise';
/**
 * erase: the row and all about it go. archive: only the invoices and the
 * identity they carry stay, on an archived row. anonymise: identity goes,
 * figures stay. trim-invoices: an archived row's invoices past their retention go.
 */
export type PurgeAction = 'erase' | 'archive' | 'anonymise' | 'trim-invoices';

export interface PurgeItem {
  id: number;
  uid: string;
  /** For the person reading a preview; left out of what a purge reports once done. */
  name: string;
  /** From the data: a client has bought (an order or invoice), or is marked client; else a prospect. */
  kind: 'prospect' | 'client';
  rule: PurgeRule;
  action: PurgeAction;
  /** The date the rule counts from: last contact from them, end of the relationship, last invoice… */
  referenceDate: string;
  reason: string;
}

export interface HeldItem extends PurgeItem {
  /** Why the rule is not applied: a restriction (art. 18) or an unpaid invoice still being recovered. */
  heldBecause: 'restricted' | 'unpaid-invoice';
}

export interface Cutoffs {
  prospect: string;
  marketing: string;
  invoices: string;
  anonymise: string | null;
}

export interface PurgePlan {
  now: string;
  policy: Record<string, string>;
  cutoffs: Cutoffs;
  items: PurgeItem[];
  held: HeldItem[];
}

export function cutoffsOf(now: Date, p: Policy): Cutoffs {
  return {
    prospect: cutoffDay(now, p.prospect),
    marketing: cutoffDay(now, p.clientMarketing),
    invoices: cutoffDay(now, p.invoices),
    anonymise: p.inactiveAnonymise ? cutoffDay(now, p.inactiveAnonymise) : null,
  };
}

const CLIENT_STATUSES = new Set(['client', 'former_client']);

type Decision = Pick<PurgeItem, 'kind' | 'rule' | 'action' | 'referenceDate' | 'reason'>;

/**
 * The retention rules for one customer, decided from the data. Days compare
 * as strings: a stored instant "2023-11-22T…" is before the cutoff day
 * "2023-11-23", one on the cutoff day is not (the limit counts whole days).
 */
export function decide(r: RetentionRow, cut: Cutoffs, p: Policy): Decision | null {
  if (!r.personal_left && !r.marketing_left) return null; // an anonymous shell: nothing personal left
  const kind = r.last_purchase !== null || CLIENT_STATUSES.has(r.status) ? 'client' : 'prospect';
  const invoiceHeld = r.last_invoice !== null && r.last_invoice >= cut.invoices;
  const lastActivity = latest(r.created_at, r.last_contact_at, r.last_interaction, r.last_sale) ?? r.created_at;
  if (cut.anonymise && p.inactiveAnonymise && !invoiceHeld && lastActivity < cut.anonymise && r.personal_left) {
    return { kind, rule: 'inactive-anonymise', action: 'anonymise', referenceDate: lastActivity, reason: `no activity for more than ${describeDuration(p.inactiveAnonymise)}` };
  }
  const reduceOrErase = (rule: PurgeRule, ref: string, why: string): Decision | null => {
    if (!invoiceHeld) return { kind, rule, action: 'erase', referenceDate: ref, reason: why };
    if (r.marketing_left || r.beyond_accounts) {
      return { kind, rule, action: 'archive', referenceDate: ref, reason: `${why}; invoices kept ${describeDuration(p.invoices)} from issue` };
    }
    return null;
  };
  if (kind === 'prospect') {
    const lastIncoming = latest(r.last_contact_at, r.last_in) ?? r.created_at;
    if (lastIncoming >= cut.prospect) return null;
    return reduceOrErase('prospect', lastIncoming, `prospect with no contact from them for more than ${describeDuration(p.prospect)}`);
  }
  const end = latest(r.last_purchase, r.last_contact_at, r.last_in) ?? r.created_at;
  if (end >= cut.marketing) return null;
  if (!invoiceHeld) {
    return r.last_invoice
      ? { kind, rule: 'invoices', action: 'erase', referenceDate: r.last_invoice, reason: `last invoice older than ${describeDuration(p.invoices)}` }
      : { kind, rule: 'client-marketing', action: 'erase', referenceDate: end, reason: `relationship ended more than ${describeDuration(p.clientMarketing)} ago and no invoice to keep` };
  }
  const reduced = reduceOrErase('client-marketing', end, `relationship ended more than ${describeDuration(p.clientMarketing)} ago`);
  if (reduced) return reduced;
  if (r.archived_at && r.expired_invoices > 0) {
    return { kind, rule: 'invoices', action: 'trim-invoices', referenceDate: cut.invoices, reason: `${r.expired_invoices} invoice(s) older than ${describeDuration(p.invoices)}` };
  }
  return null;
}

/** Who the rules reach today, and who they would reach but must wait (restricted, unpaid). */
export function planPurge(ctx: Ctx): PurgePlan {
  const policy = readPolicy(ctx);
  const now = ctx.now();
  const cut = cutoffsOf(now, policy);
  const items: PurgeItem[] = [];
  const held: HeldItem[] = [];
  for (const r of rgpdRepo(ctx).retention(cut.invoices)) {
    const d = decide(r, cut, policy);
    if (!d) continue;
    const item: PurgeItem = {
      id: r.id,
      uid: r.uid,
      name: displayNameOfRecord(r),
      ...d,
    };
    if (r.restricted_at) held.push({ ...item, heldBecause: 'restricted' });
    else if (r.unpaid_held > 0 && d.action !== 'trim-invoices') held.push({ ...item, heldBecause: 'unpaid-invoice' });
    else items.push(item);
  }
  return {
    now: now.toISOString(),
    policy: {
      prospect: formatDuration(policy.prospect),
      'client-marketing': formatDuration(policy.clientMarketing),
      invoices: formatDuration(policy.invoices),
      'inactive-anonymise': policy.inactiveAnonymise ? formatDuration(policy.inactiveAnonymise) : 'off',
    },
    cutoffs: cut,
    items,
    held,
  };
}
