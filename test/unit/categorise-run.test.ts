import { beforeEach, expect, it } from 'vitest';
import type { Ctx } from '../../src/core/context.js';
import { addCustomer } from '../../src/core/customers/add.js';
import { addSale, logInteraction } from '../../src/core/customers/activity.js';
import { tagCustomer } from '../../src/core/customers/tags.js';
import { listCustomers } from '../../src/core/customers/list.js';
import { addCategory, categorise, FOLLOWUP_CATEGORY, listCategories, listFollowups } from '../../src/core/categorise/index.js';
import type { Store } from '../../src/db/store.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';
import { ARCHIVED, CALLS, EXPECTED, MANUAL_TAG, NOW, PEOPLE, RESTRICTED, RULES, SALES, emailOf } from './categorise-scenario.js';

type TestCtx = Ctx & { store: Store };

function build(engine: TestEngine): { ctx: TestCtx; ids: Map<string, number>; keyOf: Map<number, string> } {
  const ctx = memoryCtx(engine, NOW);
  const ids = new Map<string, number>();
  for (const p of PEOPLE) {
    const { customer } = addCustomer(ctx, { firstName: p.first, lastName: p.last, email: emailOf(p.key), postalCode: p.postal, city: p.city, status: p.status });
    ids.set(p.key, customer.id);
  }
  for (const s of SALES) addSale(ctx, emailOf(s.who), { kind: s.kind, number: s.number, amount: s.amount, status: s.status, issued: s.issued, due: s.due });
  for (const c of CALLS) logInteraction(ctx, emailOf(c.who), { kind: 'call', direction: 'in', at: c.at });
  for (const r of RULES) addCategory(ctx, { name: r.name, rule: r.rule });
  tagCustomer(ctx, emailOf(MANUAL_TAG.who), [MANUAL_TAG.category]);
  const at = NOW;
  for (const k of ARCHIVED) ctx.store.customers.setMarker(ids.get(k) ?? 0, 'archived_at', at, at);
  for (const k of RESTRICTED) ctx.store.customers.setMarker(ids.get(k) ?? 0, 'restricted_at', at, at);
  return { ctx, ids, keyOf: new Map([...ids].map(([k, id]) => [id, k])) };
}

function statuses(ctx: TestCtx, keyOf: Map<number, string>): Record<string, string> {
  const rows = ctx.store.db.prepare('SELECT id, status FROM customers ORDER BY id').all() as { id: number; status: string }[];
  return Object.fromEntries(rows.map((r) => [keyOf.get(r.id), r.status]));
}

function members(ctx: TestCtx, keyOf: Map<number, string>, category: string, by?: string): string[] {
  const rows = ctx.store.db
    .prepare(
      `SELECT DISTINCT cc.customer_id AS id FROM customer_categories cc JOIN categories c ON c.id = cc.category_id
       WHERE c.name = ? AND (? IS NULL OR cc.assigned_by = ?)`,
    )
    .all(category, by ?? null, by ?? null) as { id: number }[];
  return rows.map((r) => keyOf.get(r.id) ?? '?').sort();
}

function segments(ctx: TestCtx, keyOf: Map<number, string>): Record<string, string> {
  const rows = ctx.store.db
    .prepare(`SELECT cc.customer_id AS id, c.name FROM customer_categories cc JOIN categories c ON c.id = cc.category_id WHERE c.kind = 'rfm'`)
    .all() as { id: number; name: string }[];
  return Object.fromEntries(rows.map((r) => [keyOf.get(r.id), r.name.replace(/^rfm:/, '')]));
}

forEachEngine('carnet categorise on a hand-computed file', (engine) => {
  let s: ReturnType<typeof build>;
  beforeEach(() => {
    s = build(engine);
  });

  it('computes statuses, rule categories, RFM segments and follow-ups exactly', () => {
    const report = categorise(s.ctx);
    expect(statuses(s.ctx, s.keyOf)).toEqual(EXPECTED.status);
    for (const [name, who] of Object.entries(EXPECTED.rules)) expect(members(s.ctx, s.keyOf, name), name).toEqual(who);
    expect(segments(s.ctx, s.keyOf)).toEqual(EXPECTED.rfm);
    expect(members(s.ctx, s.keyOf, FOLLOWUP_CATEGORY, 'lifecycle')).toEqual(EXPECTED.followups.map((f) => f[0]).sort());
    expect(report.customers).toEqual({ considered: 14, archived: 1, restricted: 1 });
    const eligible = s.ctx.store.db
      .prepare('SELECT status, count(*) AS count FROM customers WHERE archived_at IS NULL AND restricted_at IS NULL GROUP BY 1 ORDER BY count DESC, status')
      .all();
    expect(report.statuses.counts).toEqual(eligible);
    expect(report.statuses.transitions.reduce((n, t) => n + t.count, 0)).toBe(report.statuses.changed);
    expect(report.rfmScored).toBe(7);
    expect(report.followups).toBe(4);
    expect(report.rules).toBe(4);
    // The manual tag is still a manual tag, next to the rule's members.
    expect(members(s.ctx, s.keyOf, 'Gros clients', 'manual')).toEqual(['A']);
    expect(members(s.ctx, s.keyOf, 'Gros clients', 'rule')).toEqual(['E', 'G']);
  });

  it('lists follow-ups oldest first, with why and since when', () => {
    const res = listFollowups(s.ctx);
    expect(res.today).toBe('2026-11-23');
    const got = res.followups.map((f) => [s.keyOf.get(f.id), f.reasons[0]?.reason, f.since, f.days]);
    expect(got).toEqual(EXPECTED.followups);
    expect(res.followups.find((f) => s.keyOf.get(f.id) === 'F')?.reasons[0]).toMatchObject({ number: 'F-4', amountCents: 80000, currency: 'EUR' });
  });

  it('matches what `list --where` says for every rule that reads no category', () => {
    categorise(s.ctx);
    for (const r of RULES.filter((x) => !x.rule.includes('category'))) {
      const listed = [...listCustomers(s.ctx, { where: r.rule }).rows]
        .filter((row) => row.restricted_at === null)
        .map((row) => s.keyOf.get(row.id as number) ?? '?');
      expect(members(s.ctx, s.keyOf, r.name, 'rule'), r.name).toEqual(listed.sort());
    }
  });

  it('writes nothing the second time, and only what changed after that', () => {
    const first = categorise(s.ctx);
    expect(first.entered).toBeGreaterThan(0);
    expect(first.statuses.changed).toBe(7);
    const audited = s.ctx.store.audit.list({ action: 'category.recompute' }).length;
    expect(audited).toBe(1);
    const second = categorise(s.ctx);
    expect(second.statuses.changed).toBe(0);
    expect(second.entered + second.left).toBe(0);
    expect(s.ctx.store.audit.list({ action: 'category.recompute' }).length).toBe(audited); // nothing done, nothing recorded

    // Franck pays: he leaves "à relancer" and "Impayés", nothing else moves.
    s.ctx.store.db.prepare(`UPDATE sales SET status = 'paid' WHERE number = 'F-4'`).run();
    const third = categorise(s.ctx);
    const moved = third.categories.filter((c) => c.entered + c.left > 0).map((c) => [c.name, c.entered, c.left]);
    expect(moved).toEqual([
      [FOLLOWUP_CATEGORY, 0, 1],
      ['Impayés', 0, 1],
    ]);
  });

  it('fills empty categories in one statement with exactly what the diff gives, and restores the constraint checks', () => {
    const all = () => s.ctx.store.db.prepare('SELECT customer_id, category_id, assigned_by FROM customer_categories ORDER BY 1, 2, 3').raw().all();
    categorise(s.ctx); // every computed category starts empty: the one-statement path
    const direct = all();
    // Half of each computed category goes: the next run diffs (none is empty) and must come back to the same rows.
    const gone = s.ctx.store.db.prepare(`DELETE FROM customer_categories WHERE assigned_by <> 'manual' AND customer_id % 2 = 0`).run().changes;
    expect(gone).toBeGreaterThan(0);
    const again = categorise(s.ctx);
    expect(again.entered).toBe(gone);
    expect(all()).toEqual(direct);
    // SQLite's fast path turns the checks off for one statement (PostgreSQL never does): they must be back on.
    if (engine === 'sqlite') {
      expect(s.ctx.store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(s.ctx.store.db.pragma('ignore_check_constraints', { simple: true })).toBe(0);
    }
  });

  it('a re-run writes the same difference as its dry run names, and ends where a run from empty ends', () => {
    // A dry run names who moves, a real run writes the difference: both must agree, and match a fresh start.
    const all = () => s.ctx.store.db.prepare(`SELECT customer_id, category_id, assigned_by FROM customer_categories WHERE assigned_by <> 'manual' ORDER BY 1, 2, 3`).raw().all();
    categorise(s.ctx);
    s.ctx.store.db.prepare(`UPDATE customers SET postal_code = '69003', city = 'Lyon' WHERE id = ?`).run(s.ids.get('B'));
    s.ctx.store.db.prepare(`UPDATE customers SET postal_code = '75001', city = 'Paris' WHERE id = ?`).run(s.ids.get('A'));
    s.ctx.store.db.prepare(`UPDATE sales SET status = 'paid' WHERE number = 'F-4'`).run();
    s.ctx.store.customers.setMarker(s.ids.get('D') ?? 0, 'restricted_at', NOW, NOW); // frozen: stays where it is
    const dry = categorise(s.ctx, { dryRun: true });
    const real = categorise(s.ctx);
    const moves = (r: typeof real) => r.categories.map((c) => [c.name, c.by, c.entered, c.left, c.members]);
    expect(moves(real)).toEqual(moves(dry));
    expect(real.entered).toBeGreaterThan(0);
    expect(real.left).toBeGreaterThan(0);
    const rerun = all();
    const frozen = s.ids.get('D');
    // From empty (the frozen customer's memberships kept, as a run keeps them), the same rows.
    s.ctx.store.db.prepare(`DELETE FROM customer_categories WHERE assigned_by <> 'manual' AND customer_id <> ?`).run(frozen);
    categorise(s.ctx);
    expect(all()).toEqual(rerun);
  });

  it('a dry run reports who would enter and leave, and writes nothing', () => {
    const before = s.ctx.store.db.prepare('SELECT count(*) AS n FROM customer_categories').get();
    const report = categorise(s.ctx, { dryRun: true });
    expect(report.dryRun).toBe(true);
    const lyon = report.categories.find((c) => c.name === 'Lyon');
    expect(lyon?.enteredCustomers.map((b) => s.keyOf.get(b.id))).toEqual(['A', 'D', 'E', 'H']);
    expect(lyon?.enteredCustomers[0]?.name).toBe('Anne Prospect');
    expect(report.statuses.changes.map((c) => [s.keyOf.get(c.id), c.from, c.to])).toContainEqual(['G', 'prospect', 'former_client']);
    expect(s.ctx.store.db.prepare('SELECT count(*) AS n FROM customer_categories').get()).toEqual(before);
    expect(statuses(s.ctx, s.keyOf).D).toBe('prospect');
    expect(s.ctx.store.categories.findByName(FOLLOWUP_CATEGORY)).toBeUndefined();
    // The real run then does exactly what the dry run said.
    const real = categorise(s.ctx);
    expect(real.categories.map((c) => [c.name, c.entered, c.left])).toEqual(report.categories.map((c) => [c.name, c.entered, c.left]));
  });

  it('freezes the memberships of archived and restricted customers', () => {
    categorise(s.ctx);
    expect(members(s.ctx, s.keyOf, 'Lyon')).toContain('H');
    const at = NOW;
    s.ctx.store.customers.setMarker(s.ids.get('H') ?? 0, 'restricted_at', at, at);
    s.ctx.store.db.prepare(`UPDATE customers SET postal_code = '75001' WHERE id = ?`).run(s.ids.get('H'));
    const report = categorise(s.ctx);
    expect(members(s.ctx, s.keyOf, 'Lyon')).toContain('H'); // not recomputed while restricted
    expect(members(s.ctx, s.keyOf, FOLLOWUP_CATEGORY)).toContain('H');
    expect(report.customers.restricted).toBe(2);
    s.ctx.store.customers.setMarker(s.ids.get('H') ?? 0, 'restricted_at', null, at);
    categorise(s.ctx);
    expect(members(s.ctx, s.keyOf, 'Lyon')).not.toContain('H');
  });

  it('runs inside the caller transaction too (a savepoint), dry run included', () => {
    const dry = s.ctx.store.tx(() => categorise(s.ctx, { dryRun: true }));
    expect(dry.statuses.changed).toBe(7);
    expect(statuses(s.ctx, s.keyOf).D).toBe('prospect');
    s.ctx.store.tx(() => categorise(s.ctx));
    expect(statuses(s.ctx, s.keyOf)).toEqual(EXPECTED.status);
  });

  it('lists categories with member counts by who assigned them', () => {
    categorise(s.ctx);
    const list = listCategories(s.ctx);
    const gros = list.find((c) => c.name === 'Gros clients');
    expect(gros).toMatchObject({ kind: 'rule', members: 3, rule: 'revenue >= 5000', byAssigner: { manual: 1, rule: 2 } });
    expect(list.find((c) => c.name === 'rfm:hibernating')).toMatchObject({ kind: 'rfm', members: 2 });
    expect(list.find((c) => c.name === FOLLOWUP_CATEGORY)).toMatchObject({ kind: 'lifecycle', members: 4 });
  });
});
