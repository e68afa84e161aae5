import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { addSale, logInteraction } from '../../src/core/customers/activity.js';
import { Store } from '../../src/db/store.js';
import { BIN, sandbox, type Sandbox } from '../helpers/cli.js';
import { openSandboxDb } from '../helpers/e2e-db.js';
import { ARCHIVED, CALLS, EXPECTED, MANUAL_TAG, NOW, PEOPLE, RESTRICTED, RULES, SALES, emailOf } from '../unit/categorise-scenario.js';

const env = { CARNET_NOW: NOW };

/** The scenario's customers, sales and call, written through the core into the sandbox's file (fast); the rest goes through the binary. */
function seed(db: string): void {
  const store = Store.open(db);
  const ctx = { store, now: () => new Date(NOW), actor: 'test' };
  try {
    for (const p of PEOPLE) addCustomer(ctx, { firstName: p.first, lastName: p.last, email: emailOf(p.key), postalCode: p.postal, city: p.city, status: p.status });
    for (const s of SALES) addSale(ctx, emailOf(s.who), { kind: s.kind, number: s.number, amount: s.amount, status: s.status, issued: s.issued, due: s.due });
    for (const c of CALLS) logInteraction(ctx, emailOf(c.who), { kind: 'call', direction: 'in', at: c.at });
    const mark = store.db.prepare('UPDATE customers SET archived_at = @at WHERE email_norm = @email');
    for (const k of ARCHIVED) mark.run({ at: NOW, email: emailOf(k) });
    const restrict = store.db.prepare('UPDATE customers SET restricted_at = @at WHERE email_norm = @email');
    for (const k of RESTRICTED) restrict.run({ at: NOW, email: emailOf(k) });
  } finally {
    store.close();
  }
}

const keyOfEmail = (email: unknown): string => String(email).slice(0, 1).toUpperCase();

describe('carnet categorise, followups and stats through the binary', () => {
  let s: Sandbox;
  beforeAll(() => {
    s = sandbox();
    expect(s.run(['init'], { env }).code).toBe(0);
    seed(s.db);
  });
  afterAll(() => s.cleanup());

  it('creates rule categories; a rule with a syntax error is exit 2 with a caret', () => {
    for (const r of RULES) {
      const res = s.run(['category', 'add', r.name, '--rule', r.rule], { env });
      expect(res.code, res.stderr).toBe(0);
    }
    const bad = s.run(['category', 'add', 'Cassé', '--rule', 'revenue >= and city = "Lyon"'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('bad filter at column 12');
    expect(bad.stderr).toMatch(/\n {2}revenue >= and city = "Lyon"\n {2} {11}\^/);
    expect(s.run(['tag', emailOf(MANUAL_TAG.who), MANUAL_TAG.category], { env }).code).toBe(0);
  });

  it('--dry-run shows who would enter and leave, and writes nothing', () => {
    const res = s.run(['categorise', '--dry-run'], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^Lyon \(rule\): 4 would enter, 0 would leave\n {2}\+ +\d+ {2}Anne Prospect$/m);
    expect(res.stdout).toMatch(/Gaëlle Ancienne: prospect → former_client/);
    expect(res.stderr).toMatch(/^dry run, nothing written: 14 customers categorised/);
    const list = s.json<{ name: string; members: number }[]>(['category', 'list'], { env });
    expect(list.find((c) => c.name === 'Lyon')?.members).toBe(0);
  });

  it('categorise gives exactly the hand-computed statuses, categories, segments and follow-ups', () => {
    const report = s.json<{ entered: number; left: number; statuses: { changed: number }; categories: { name: string; entered: number }[] }>(['categorise'], { env });
    expect(report.statuses.changed).toBe(7);
    expect(report.left).toBe(0);
    const all = s.json<Record<string, unknown>[]>(['list', '--archived'], { env });
    expect(Object.fromEntries(all.map((r) => [keyOfEmail(r.email), r.status]))).toEqual(EXPECTED.status);
    for (const [name, who] of Object.entries(EXPECTED.rules)) {
      const rows = s.json<Record<string, unknown>[]>(['list', '--category', name], { env });
      expect(rows.map((r) => keyOfEmail(r.email)).sort(), name).toEqual(who);
    }
    const segments: Record<string, string> = {};
    for (const seg of new Set(Object.values(EXPECTED.rfm))) {
      for (const r of s.json<Record<string, unknown>[]>(['list', '--category', `rfm:${seg}`], { env })) segments[keyOfEmail(r.email)] = seg;
    }
    expect(segments).toEqual(EXPECTED.rfm);
    const relancer = s.json<Record<string, unknown>[]>(['list', '--category', 'à relancer'], { env });
    expect(relancer.map((r) => keyOfEmail(r.email)).sort()).toEqual(EXPECTED.followups.map((f) => f[0]).sort());
    // Nothing moves the second time.
    const again = s.json<{ entered: number; left: number; statuses: { changed: number } }>(['categorise'], { env });
    expect([again.entered, again.left, again.statuses.changed]).toEqual([0, 0, 0]);
  });

  it('followups lists who to chase, why and since when, oldest first', () => {
    const res = s.json<{ followups: { email: string; since: string; days: number; reasons: { reason: string; text: string }[] }[] }>(['followups'], { env });
    expect(res.followups.map((f) => [keyOfEmail(f.email), f.reasons[0]?.reason, f.since, f.days])).toEqual(EXPECTED.followups);
    expect(res.followups[2]?.reasons[0]?.text).toBe('invoice F-4 (800,00 €) unpaid since its due date 2026-10-15');
    const human = s.run(['followups'], { env });
    expect(human.stdout.split('\n')[0]).toMatch(/^2026-03-01 +267 d {2}\d+ {2}Hugo Silence {2}h@exemple\.fr$/);
    expect(human.stdout).toContain('      quote D-1 (1 200,00 €) unanswered since 2026-10-01');
    expect(human.stderr).toContain('4 customers to follow up on 2026-11-23');
  });

  it('the manual tag survives categorise; untag says what a rule keeps', () => {
    const gros = s.json<Record<string, unknown>[]>(['list', '--category', 'Gros clients'], { env });
    expect(gros.map((r) => keyOfEmail(r.email)).sort()).toEqual(['A', 'E', 'G']);
    const res = s.run(['untag', emailOf('E'), 'Gros clients'], { env });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('stays in Gros clients, put there by rule');
  });

  it('a stored rule that no longer parses stops categorise with exit 2, a caret and the category', () => {
    const db = openSandboxDb(s.db);
    db.prepare(`UPDATE category_rules SET expression = 'revenue >= 5000 and' WHERE category_id = (SELECT id FROM categories WHERE name = 'Gros clients')`).run();
    db.close();
    const res = s.run(['categorise'], { env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("the rule of category 'Gros clients' is broken: bad filter at column");
    expect(res.stderr).toMatch(/\n {2}revenue >= 5000 and\n {2} *\^/);
    const fixed = s.run(['category', 'edit', 'Gros clients', '--rule', 'revenue >= 5000'], { env });
    expect(fixed.code, fixed.stderr).toBe(0);
  });

  it('stats --json is one valid JSON document with the structure', () => {
    const res = s.run(['stats', '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const st = JSON.parse(res.stdout) as {
      customers: { counted: number };
      by_status: { status: string; count: number }[];
      by_segment: { segment: string; count: number }[];
      revenue: { total: number; clients: number; clients_for_80_percent: number; bands: { band: string; clients: number }[] };
    };
    expect(st.customers.counted).toBe(14);
    expect(st.by_status).toContainEqual({ status: 'client', count: 7 });
    expect(st.by_segment.find((x) => x.segment === 'hibernating')?.count).toBe(2);
    // Revenues: G 12 000, E 7 500, H 1 500, I 900, F 800, J 600, N 300 = 23 600 €; G + E = 19 500 ≥ 80 % (18 880).
    expect(st.revenue.total).toBe(23600);
    expect(st.revenue.clients_for_80_percent).toBe(2);
    expect(st.revenue.bands.map((b) => [b.band, b.clients])).toEqual([['big', 1], ['medium', 2], ['small', 4]]);
  });

  it('stats piped is plain text with ASCII bars', () => {
    const res = s.run(['stats'], { env });
    expect(res.code).toBe(0);
    expect(res.stdout).not.toMatch(/[█▏▎▍▌▋▊▉]/);
    expect(res.stdout).toMatch(/^ {2}client +#+ +7 \(50 %\)$/m);
    expect(res.stdout).toContain('2 of 7 clients (29 %) make 80 % of the 23 600 € invoiced');
    for (const line of res.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it.skipIf(spawnSync('tmux', ['-V']).status !== 0)('stats in a terminal draws Unicode bars that fit its width (tmux)', async () => {
    const sock = `carnet-test-${process.pid}`;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
    const cmd = `env CARNET_DB='${s.db}' CARNET_NOW='${NOW}' LANG=C.UTF-8 TERM=xterm-256color NO_COLOR=1 '${process.execPath}' '${BIN}' stats; sleep 30`;
    expect(tmux('new-session', '-d', '-x', '100', '-y', '40', '-s', 'stats', cmd).status).toBe(0);
    try {
      let screen = '';
      for (let i = 0; i < 50 && !screen.includes('By département'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        screen = tmux('capture-pane', '-p', '-t', 'stats').stdout;
      }
      expect(screen).toContain('By status');
      expect(screen).toMatch(/^ {2}client +█+[▏▎▍▌▋▊▉]? +7 \(50 %\)$/m);
      expect(screen).not.toMatch(/#{3}/);
      const longest = Math.max(...screen.split('\n').map((l) => l.trimEnd().length));
      expect(longest).toBeGreaterThan(80); // it uses the 100 columns…
      expect(longest).toBeLessThanOrEqual(100); // …and no more
    } finally {
      tmux('kill-server');
    }
  });

  it('category rm needs --yes without a terminal', () => {
    const refused = s.run(['category', 'rm', 'Lyonnais fidèles'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('confirm with --yes');
    const done = s.run(['--yes', 'category', 'rm', 'Lyonnais fidèles'], { env });
    expect(done.code, done.stderr).toBe(0);
    expect(s.run(['category', 'rm', 'Lyonnais fidèles', '--yes'], { env }).code).toBe(4);
  });
});
