import { isoNow, type Ctx } from '../context.js';
import type { AssignedBy, Category, CategoryKind } from '../model.js';
import { compileFilter } from '../../db/filter-sql.js';
import { customFilterFields } from '../fields/manage.js';
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
  membersRepo,
  type CustomerBrief,
  type Limits,
} from './common.js';
import { diffSorted, type MembershipDiff } from './members.js';
import { RFM_CELLS, RFM_SEGMENTS, quintilePositions, segmentLetter } from './rfm.js';
import { factsColumnsOf, orderRules, parseRule } from './rules.js';
import { readSettings, type CategoriseSettings } from './settings.js';

export interface CategoriseInput {
  /** Compute everything, report it, write nothing. */
  dryRun?: boolean;
  /** How many customers to name per category and direction (null: all; default 0 when not a dry run). */
  sample?: number | null;
  /** Called after each step (for benchmarks: CARNET_CATEGORISE_TRACE). */
  trace?: (step: string) => void;
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

/** Who should be in a category: eligible customers only (archived and restricted ones are never targets). */
interface Target {
  /** The ids, ascending. */
  ids(): number[];
  /** Writes every target id into the category, which has no `by` member yet; returns how many. */
  insert(categoryId: number, by: AssignedBy): number;
  /** Brings the category's `by` members to the target where the store does it in place (no ids to report); null: not here. */
  syncInPlace?(categoryId: number, by: AssignedBy): { entered: number; left: number } | null;
}

/**
 * One run's membership writer: diffs each category against its target and
 * writes only the difference. A category with no `by` member yet (a first
 * run, a new rule) has nothing to diff: the target goes in as one statement.
 */
function syncer(ctx: Ctx, frozen: ReadonlySet<number>, at: string, sample: number | null) {
  const members = membersRepo(ctx);
  const first = (ids: number[]): number[] => (sample === null ? ids : ids.slice(0, sample));
  return (category: Category, by: AssignedBy, target: Target): Pending => {
    if (!members.hasMembers(category.id, by)) {
      const entered = target.insert(category.id, by);
      const enteredIds = sample === 0 || entered === 0 ? [] : members.memberIds(category.id, by, sample);
      return { category, by, diff: { entered, left: 0, enteredIds, leftIds: [] } };
    }
    // A run that names nobody (sample 0: every run but a dry one) may leave the difference to the store.
    const synced = sample === 0 ? (target.syncInPlace?.(category.id, by) ?? null) : null;
    if (synced !== null) return { category, by, diff: { ...synced, enteredIds: [], leftIds: [] } };
    const { add, remove } = diffSorted(members.memberIds(category.id, by), target.ids(), frozen);
    members.remove(category.id, by, remove);
    members.add(category.id, by, add, at);
    return { category, by, diff: { entered: add.length, left: remove.length, enteredIds: first(add), leftIds: first(remove) } };
  };
}

function runInTx(ctx: Ctx, settings: CategoriseSettings, limits: Limits, dryRun: boolean, sample: number | null, trace: (step: string) => void): CategoriseReport {
  const at = isoNow(ctx);
  const repo = categoriseRepo(ctx);
  const compute = computeRepo(ctx);
  const members = membersRepo(ctx);
  // Stored rules are parsed first: a broken one stops the run before any write (exit 2, with the caret).
  const custom = customFilterFields(ctx);
  const rules = orderRules(
    repo
      .withRules()
      .filter((c) => !isBuiltinName(c.name))
      .map((c) => parseRule(c, c.rule ?? '', true, custom)),
  );
  const facts = factsColumnsOf(rules);
  compute.prepareAggregates();
  trace('aggregates');
  compute.prepareBase(facts, limits.formerLimit);
  const sync = syncer(ctx, new Set(compute.frozenIds()), at, sample);
  trace('customers');

  // 1. Lifecycle statuses, computed with the base (only changed rows are written).
  const changed = compute.computeStatusChanges();
  const statusSample = compute.statusChangeSample(sample);
  compute.applyStatusChanges(at);
  trace('statuses');

  const pending: Pending[] = [];
  // Steps 2–4 write memberships only, of ids read in this transaction (see withTrustedMemberships).
  const { followups, rfmScored } = members.withTrustedMemberships(() => {
    // 2. The follow-up category.
    compute.computeFollowups(limits);
    const followups = members.followupCount();
    const followupTarget: Target = {
      ids: () => members.followupTargetIds(),
      insert: (id, by) => members.insertFollowupTarget(id, by, at),
      syncInPlace: (id, by) => members.syncFollowupTarget(id, by, at),
    };
    pending.push(sync(builtin(repo, FOLLOWUP_CATEGORY, 'lifecycle', FOLLOWUP_DESCRIPTION, at), 'lifecycle', followupTarget));
    trace('follow-ups');

    // 3. RFM segments; a stale rfm category (no longer in the map) is emptied.
    // The store segments the purchasers with the quintile bounds and the grid given here, so
    // that no purchaser has to leave it (on PostgreSQL each would cross the connection).
    const scored = members.prepareBuyers();
    members.prepareSegments(members.buyerValuesAt(quintilePositions(scored)), RFM_CELLS);
    const segments = RFM_SEGMENTS.map((s) => ({ category: builtin(repo, s.category, 'rfm', s.description, at), letter: segmentLetter(s.key) }));
    for (const { category, letter } of segments) {
      pending.push(sync(category, 'rfm', {
        ids: () => members.segmentTargetIds(letter),
        insert: (id, by) => members.insertSegmentTarget(id, by, letter, at),
        syncInPlace: (id, by) => members.syncSegmentTarget(id, by, letter, at),
      }));
    }
    for (const category of repo.ofKind('rfm').filter((c) => !segments.some((s) => s.category.id === c.id))) {
      pending.push(sync(category, 'rfm', { ids: () => [], insert: () => 0 }));
    }
    trace('rfm');

    // 4. Rules, in dependency order, over the facts as they stand after 1–3 (statuses updated, memberships live).
    if (rules.length > 0) members.prepareCategoryNames();
    for (const rule of rules) {
      const compiled = compileFilter(rule.ast, { now: ctx.now(), alias: 'f', dialect: ctx.store.dialect });
      const target: Target = {
        ids: () => members.ruleTargetIds(compiled, facts.folded),
        insert: (id, by) => members.insertRuleTarget(id, by, compiled, facts.folded, at),
        syncInPlace: (id, by) => members.syncRuleTarget(id, by, compiled, facts.folded, at),
      };
      pending.push(sync(rule.category, 'rule', target));
      trace(`rule ${rule.category.name}`);
    }
    return { followups, rfmScored: scored };
  });

  const counts = members.memberCounts();
  trace('member counts');
  const census = compute.census();
  trace('census');
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
    customers: { considered: census.population.eligible, archived: census.population.archived, restricted: census.population.restricted },
    statuses: {
      changed,
      transitions: census.transitions,
      counts: census.statuses,
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
  // The register records what was done: a run that changed nothing adds nothing (re-runs are idempotent).
  if (changed + report.entered + report.left > 0) {
    ctx.store.audit.record({
      at,
      action: 'category.recompute',
      actor: ctx.actor ?? null,
      details: { statuses_changed: changed, entered: report.entered, left: report.left, rules: rules.length, rfm_scored: rfmScored, followups },
    });
  }
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
  const trace = input.trace ?? (() => undefined);
  compute.useLargeCache();
  try {
    return membersRepo(ctx).withoutConstraintChecks(() =>
      ctx.store.tx(() => {
        const report = runInTx(ctx, settings, limits, dryRun, sample, trace);
        trace('report');
        if (dryRun) throw new DryRunRollback(report);
        return report;
      }),
    );
  } catch (err) {
    if (err instanceof DryRunRollback) return err.report;
    throw err;
  } finally {
    trace(dryRun ? 'rollback' : 'commit');
    compute.dropTemp();
    membersRepo(ctx).dropTemp();
  }
}
