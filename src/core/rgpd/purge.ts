import { isoNow, type Ctx } from '../context.js';
import { CancelledError } from '../errors.js';
import { pause } from '../pause.js';
import type { Customer } from '../model.js';
import { addSuppressions, eraseCustomerInTx, rgpdRepo, uniqueNeedles } from './erase.js';
import { allNeedlesOf, identifiersOf } from './identifiers.js';
import { MergeIndex } from './merge-index.js';
import { readPolicy } from './policy.js';
import { redactAudit } from './redact.js';
import { planPurge, type HeldItem, type PurgeAction, type PurgeItem, type PurgePlan } from './purge-plan.js';
import { scrubRejects } from './rejects.js';
import { scrubTraces, type ScrubReport } from './scrub.js';

export interface PurgeCounts {
  erased: number;
  archived: number;
  anonymised: number;
  trimmed: number;
  held: number;
  /** Rows removed in every table, customers included. */
  rows: number;
  /** Identifiers added to suppressions (so that no import brings these people back). */
  suppressed: number;
  /** Identifiers kept off the suppression list because a customer who stays holds them too (a family e-mail). */
  kept: number;
}

export interface PurgeResult {
  dryRun: boolean;
  now: string;
  policy: Record<string, string>;
  /** In a dry run, with names, for the person deciding; once applied, uids only (the names are gone). */
  items: (PurgeItem | Omit<PurgeItem, 'name'>)[];
  held: HeldItem[];
  counts: PurgeCounts;
  scrub: ScrubReport | null;
  /** Rejects files deleted under the policy's `rejects` retention (also when nobody was erased). */
  rejectsExpired: string[];
}

export interface PurgeOptions {
  dryRun: boolean;
  /** Asked with the plan when there is something to do; false cancels. */
  confirm?: (plan: PurgePlan) => boolean | Promise<boolean>;
  /** Records handled so far, of all (a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

const PAUSE_EVERY = 250;

const COUNT_KEY: Record<PurgeAction, 'erased' | 'archived' | 'anonymised' | 'trimmed'> = {
  erase: 'erased',
  archive: 'archived',
  anonymise: 'anonymised',
  'trim-invoices': 'trimmed',
};

/**
 * Applies the retention policy to the whole file in one transaction, then
 * scrubs the file. Audited once, with counts only.
 */
export async function purge(ctx: Ctx, opts: PurgeOptions): Promise<PurgeResult> {
  const plan = planPurge(ctx);
  const counts: PurgeCounts = { erased: 0, archived: 0, anonymised: 0, trimmed: 0, held: plan.held.length, rows: 0, suppressed: 0, kept: 0 };
  const base = { now: plan.now, policy: plan.policy, held: plan.held };
  if (opts.dryRun || plan.items.length === 0) {
    for (const it of plan.items) counts[COUNT_KEY[it.action]]++;
    const rejectsExpired = opts.dryRun ? [] : scrubRejects(ctx, [], readPolicy(ctx).rejects).expired;
    return { ...base, dryRun: opts.dryRun, items: plan.items, counts, scrub: null, rejectsExpired };
  }
  if (opts.confirm && !(await opts.confirm(plan))) throw new CancelledError('nothing was purged');
  const policy = readPolicy(ctx);
  const at = isoNow(ctx);
  const now = ctx.now();
  const repo = rgpdRepo(ctx);
  const needles: string[] = [];
  // Past a few hundred rows, rebuilding the full-text index once beats updating it row by row.
  const heavy = plan.items.filter((i) => i.action !== 'trim-invoices').length;
  const bulk = heavy >= 100 && heavy * 200 > ctx.store.customers.count();
  const total = plan.items.length;
  const apply = async (): Promise<Omit<PurgeItem, 'name'>[]> => {
    const done: Omit<PurgeItem, 'name'>[] = [];
    const merges = indexMerges(ctx, plan.items);
    let seen = 0;
    for (const { name: _name, ...it } of plan.items) {
      // A pause now and then: progress is drawn and Ctrl-C heard (the open transaction is then discarded).
      if (seen++ % PAUSE_EVERY === 0) {
        opts.onProgress?.(seen - 1, total);
        await pause();
      }
      const customer = ctx.store.customers.get(it.id);
      if (!customer || customer.uid !== it.uid) continue;
      if (it.action === 'trim-invoices') {
        counts.rows += repo.deleteAccountingBefore(customer.id, plan.cutoffs.invoices);
      } else if (it.action === 'archive') {
        counts.rows += archiveForAccounts(ctx, customer, at, plan.cutoffs.invoices, needles, merges);
      } else {
        const o = eraseCustomerInTx(ctx, customer, { at, invoices: policy.invoices, now, mode: it.action === 'anonymise' ? 'anonymise' : 'erase', redact: false, merges });
        counts.rows += Object.values(o.removed).reduce((a, b) => a + b, 0);
        counts.suppressed += o.hashes.length;
        counts.kept += o.kept.length;
        needles.push(...o.needles);
      }
      counts[COUNT_KEY[it.action]]++;
      done.push(it);
    }
    const auditRedacted = redactAudit(ctx, needles);
    ctx.store.audit.record({
      at,
      action: 'rgpd.purge',
      actor: ctx.actor ?? null,
      details: { erased: counts.erased, archived: counts.archived, anonymised: counts.anonymised, trimmed: counts.trimmed, held: counts.held, rows: counts.rows, suppressed: counts.suppressed, kept_shared: counts.kept, audit_redacted: auditRedacted, policy: plan.policy },
    });
    return done;
  };
  const applied = await ctx.store.txAsync(() => (bulk ? repo.withFtsRebuiltAsync(apply) : apply()));
  opts.onProgress?.(total, total);
  const scrub = scrubTraces(ctx, uniqueNeedles(needles), { always: applied.length > 0, rejectsRetention: policy.rejects });
  return { ...base, dryRun: false, items: applied, counts, scrub, rejectsExpired: scrub.rejects.expired };
}

/** The merges read once for everyone the purge reaches (each person's own query reads them all). */
function indexMerges(ctx: Ctx, items: PurgeItem[]): MergeIndex {
  const people: { uid: string; needles: string[] }[] = [];
  for (const it of items) {
    if (it.action === 'trim-invoices') continue;
    const c = ctx.store.customers.get(it.id);
    if (c) people.push({ uid: c.uid, needles: allNeedlesOf(ctx, c) });
  }
  return new MergeIndex(ctx, people);
}

/**
 * The end of a client relationship: marketing data goes, the invoices and the
 * identity they carry stay on an archived row. An opposition on file becomes
 * a suppression first, so deleting the consent rows never lifts it.
 */
function archiveForAccounts(ctx: Ctx, c: Customer, at: string, invoiceCutoff: string, needles: string[], index: MergeIndex): number {
  const repo = rgpdRepo(ctx);
  const opposed = repo.opposedChannels(c.id);
  // What a customer who stays also holds (a family e-mail) is neither suppressed nor looked for.
  const own = identifiersOf(ctx, c);
  for (const channel of opposed.length >= 4 ? ['all'] : opposed) addSuppressions(ctx, own.ids, 'opposed', at, channel);
  const merges = index.involving(c.id, c.uid, own.needles);
  repo.deleteMerges(merges);
  repo.deleteDedupeDecisions(c.uid);
  const removed = repo.deleteAllButAccounts(c.id);
  const expired = repo.deleteAccountingBefore(c.id, invoiceCutoff);
  repo.reduceToAccounts(c.id, at);
  needles.push(...own.needles);
  return Object.values(removed).reduce((a, b) => a + b, 0) + expired;
}
