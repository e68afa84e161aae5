import { isoNow, type Ctx } from '../context.js';
import type { AssignedBy, Category, CategoryKind } from '../model.js';
import { compileFilter } from '../../db/filter-sql.js';
import type { CategoriseComputeRepo, MembershipDiff } from '../../db/repositories/categorise-compute.js';
import type { CategoriseRepo } from '../../db/repositories/categorise.js';
import {
  FOLLOWUP_CATEGORY,
  FOLLOWUP_DESCRIPTION,
  briefsOf,
  categoriseRepo,
  computeRepo,
  customerBriefs,
  isBuiltinName,
  limitsOf,
  type CustomerBrief,
  type Limits,
} from './common.js';
import { RFM_SEGMENTS, rfmGrid } from './rfm.js';
import { orderRules, parseRule } from './rules.js';
import { readSettings, type CategoriseSettings } from './settings.js';

export interface CategoriseInput {
  /** Compute everything, report it, write nothing. */
  dryRun?: boolean;
  /** How many customers to name per category and direction (null: all; default 0 when not a dry run). */
  sample?: number | null;
}

export interface CategoryChange {
  name: string;
  kind: CategoryKind;
  by: AssignedBy;
  entered: number;
  left: number;
  /** Members after the run, among customers that are not archived. */
  members: number;
  enteredCustomers: CustomerBrief[];
  leftCustomers: CustomerBrief[];
}

export interface StatusChange extends CustomerBrief {
  from: string;
  to: string;
}

export interface CategoriseReport {
  dryRun: boolean;
  at: string;
  today: string;
  settings: CategoriseSettings;
  customers: { considered: number; archived: number; restricted: number };
  statuses: { changed: number; transitions: { from: string; to: string; count: number }[]; counts: { status: string; count: number }[]; changes: StatusChange[] };
  followups: number;
  rfmScored: number;
  rules: number;
  categories: CategoryChange[];
  entered: number;
  left: number;
}

/** Thrown inside the transaction to roll a dry run back with its report. */
class DryRunRollback extends Error {
  constructor(readonly report: CategoriseReport) {
    super('dry run');
  }
}

interface Pending {
  category: Category;
  by: AssignedBy;
  diff: MembershipDiff;
}

/** Finds or creates a built-in category and makes sure it has the right kind. */
function builtin(repo: CategoriseRepo, name: string, kind: CategoryKind, description: string, at: string): Category {
  const found = repo.findByName(name);
  if (!found) {
    const id = repo.create(name, kind, description, at);
    return { id, name, description, kind, rule: null, createdAt: at };
  }
  if (found.kind !== kind) repo.setKind(found.id, kind);
  if (found.description === null) repo.setDescription(found.id, description);
  return { ...found, kind };
}

/** Computes the target of one category into temp.cat_target beforehand; this diffs and writes it. */
function sync(compute: CategoriseComputeRepo, category: Category, by: AssignedBy, at: string, sample: number | null): Pending {
  const diff = compute.diff(category.id, by, sample);
  compute.apply(category.id, by, at);
  return { category, by, diff };
}

function runInTx(ctx: Ctx, settings: CategoriseSettings, limits: Limits, dryRun: boolean, sample: number | null): CategoriseReport {
  const at = isoNow(ctx);
  const repo = categoriseRepo(ctx);
  const compute = computeRepo(ctx);
  // Stored rules are parsed first: a broken one stops the run before any write (exit 2, with the caret).
  const rules = orderRules(
    repo
      .withRules()
      .filter((c) => !isBuiltinName(c.name))
      .map((c) => parseRule(c, c.rule ?? '', true)),
  );
  const population = compute.leftOut();
  compute.prepareAggregates();

  // 1. Lifecycle statuses (only changed rows are written).
  const changed = compute.computeStatusChanges(limits.formerLimit);
  const transitions = compute.statusTransitions();
  const statusSample = compute.statusChangeSample(sample ?? null);
  compute.applyStatusChanges(at);

  // 2. The follow-up category.
  const pending: Pending[] = [];
  const followupCat = builtin(repo, FOLLOWUP_CATEGORY, 'lifecycle', FOLLOWUP_DESCRIPTION, at);
  compute.computeFollowups(limits);
  const followups = compute.targetFromFollowups();
  pending.push(sync(compute, followupCat, 'lifecycle', at, sample));

  // 3. RFM segments; a stale rfm category (no longer in the map) is emptied.
  const segments = new Map(RFM_SEGMENTS.map((s) => [s.key, builtin(repo, s.category, 'rfm', s.description, at)]));
  const grid = rfmGrid().map((c) => ({ r: c.r, fm: c.fm, categoryId: segments.get(c.segment)?.id ?? -1 }));
  const rfmScored = compute.computeRfm(grid);
  const stale = repo.ofKind('rfm').filter((c) => ![...segments.values()].some((s) => s.id === c.id));
  for (const category of [...segments.values(), ...stale]) {
    compute.targetFromRfm(category.id);
    pending.push(sync(compute, category, 'rfm', at, sample));
  }

  // 4. Rules, in dependency order, over the facts as they stand after 1–3.
  if (rules.length > 0) compute.prepareRuleFacts(rules.flatMap((r) => r.columns));
  for (const rule of rules) {
    compute.targetFromRule(compileFilter(rule.ast, { now: ctx.now(), alias: 'f' }));
    pending.push(sync(compute, rule.category, 'rule', at, sample));
  }

  const counts = new Map(repo.counts().map((c) => [c.category.id, c.members]));
  const names = customerBriefs(ctx, [...statusSample.map((s) => s.id), ...pending.flatMap((p) => [...p.diff.enteredIds, ...p.diff.leftIds])]);
  const categories = pending.map((p) => ({
    name: p.category.name,
    kind: p.category.kind,
    by: p.by,
    entered: p.diff.entered,
    left: p.diff.left,
    members: counts.get(p.category.id) ?? 0,
    enteredCustomers: briefsOf(names, p.diff.enteredIds),
    leftCustomers: briefsOf(names, p.diff.leftIds),
  }));
  const report: CategoriseReport = {
    dryRun,
    at,
    today: limits.today,
    settings,
    customers: { considered: population.eligible, archived: population.archived, restricted: population.restricted },
    statuses: {
      changed,
      transitions,
      counts: compute.statusCounts(),
      changes: statusSample.flatMap((s) => {
        const b = names.get(s.id);
        return b ? [{ ...b, from: s.old_status, to: s.new_status }] : [];
      }),
    },
    followups,
    rfmScored,
    rules: rules.length,
    categories,
    entered: categories.reduce((n, c) => n + c.entered, 0),
    left: categories.reduce((n, c) => n + c.left, 0),
  };
  ctx.store.audit.record({
    at,
    action: 'category.recompute',
    actor: ctx.actor ?? null,
    details: { statuses_changed: changed, entered: report.entered, left: report.left, rules: rules.length, rfm_scored: rfmScored, followups },
  });
  ctx.store.settings.set('categorise.last_run_at', at);
  return report;
}

/**
 * `carnet categorise`: lifecycle statuses, the follow-up category, RFM
 * segments and rule categories, recomputed in one transaction. Only changed
 * statuses and memberships are written; manual tags are never touched;
 * archived and restricted customers are left out and their memberships frozen.
 * A dry run does all of it inside the transaction, then rolls it back.
 */
export function categorise(ctx: Ctx, input: CategoriseInput = {}): CategoriseReport {
  const dryRun = input.dryRun ?? false;
  const sample = input.sample === undefined ? (dryRun ? null : 0) : input.sample;
  const settings = readSettings(ctx);
  const limits = limitsOf(ctx.now(), settings);
  const compute = computeRepo(ctx);
  try {
    return ctx.store.tx(() => {
      const report = runInTx(ctx, settings, limits, dryRun, sample);
      if (dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.report;
    throw err;
  } finally {
    compute.dropTemp();
  }
}
