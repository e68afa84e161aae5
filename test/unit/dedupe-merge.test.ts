import { expect, it } from 'vitest';
import { addContact, addSale, logInteraction } from '../../src/core/customers/activity.js';
import { addCustomer, editCustomer } from '../../src/core/customers/add.js';
import { tagCustomer } from '../../src/core/customers/tags.js';
import { mergeCustomers } from '../../src/core/dedupe/merge.js';
import { undoMerge } from '../../src/core/dedupe/undo.js';
import { mergeHistory } from '../../src/core/dedupe/history.js';
import { autoMerge } from '../../src/core/dedupe/auto.js';
import { forgetInMerges } from '../../src/core/dedupe/forget.js';
import { clockCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';

type Ctx = ReturnType<typeof clockCtx>['ctx'];

/** Every row of every table (FTS shadow tables aside: checked by searching), in a stable order. */
function dump(ctx: Ctx, skip: string[] = []): Record<string, unknown[]> {
  const tables = (ctx.store.db.prepare(ctx.store.dialect.tablesSql).all() as { name: string }[])
    .map((t) => t.name)
    .filter((t) => !skip.includes(t));
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const n = ctx.store.db.prepare(ctx.store.dialect.columnsSql).all(t).length;
    const order = Array.from({ length: n }, (_, i) => i + 1).join(', ');
    out[t] = ctx.store.db.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).all();
  }
  return out;
}

/** Two records of one person with everything attached, one of them with a withdrawal and an opposition. */
function seed(engine: TestEngine) {
  const { ctx, setNow } = clockCtx('2025-03-01T09:00:00.000Z', engine);
  const a = addCustomer(ctx, { firstName: 'Jean-Pierre', lastName: 'Dupont', email: 'jp.dupont@gmail.com', phone: '06 45 22 11 09', city: 'Paris', extra: { Taille: 'M', Fidélité: 'or' } }).customer;
  setNow('2025-06-01T09:00:00.000Z');
  const b = addCustomer(ctx, { firstName: 'J.-P.', lastName: 'Dupont', email: 'jean-pierre.dupont@outlook.fr', mobile: '07 11 22 33 44', addressLine1: '3 av. Jean-Jaurès', postalCode: '75011', city: 'Paris', notes: 'prefers calls', extra: { Taille: 'L' } }).customer;
  addContact(ctx, String(b.id), { firstName: 'Anne', lastName: 'Dupont', email: 'anne@dupont.fr' });
  logInteraction(ctx, String(b.id), { kind: 'call', direction: 'in', note: 'asked for a quote' });
  logInteraction(ctx, String(a.id), { kind: 'email', direction: 'out' });
  addSale(ctx, String(b.id), { kind: 'invoice', number: 'F-12', amount: '1200.50', status: 'unpaid' });
  tagCustomer(ctx, String(a.id), ['VIP']);
  tagCustomer(ctx, String(b.id), ['VIP', 'Salon']);
  ctx.store.consents.insert({ customerId: a.id, channel: 'email', purpose: 'marketing', state: 'granted', source: 'form', proof: null, recordedAt: '2025-07-01T00:00:00.000Z' });
  ctx.store.consents.insert({ customerId: b.id, channel: 'email', purpose: 'marketing', state: 'withdrawn', source: 'unsubscribe link', proof: null, recordedAt: '2025-05-01T00:00:00.000Z' });
  ctx.store.consents.insert({ customerId: b.id, channel: 'sms', purpose: 'marketing', state: 'opposed', source: 'phone call', proof: null, recordedAt: '2024-01-01T00:00:00.000Z' });
  ctx.store.consents.insert({ customerId: a.id, channel: 'sms', purpose: 'marketing', state: 'granted', source: 'form', proof: null, recordedAt: '2025-08-01T00:00:00.000Z' });
  ctx.store.db.prepare(`INSERT INTO import_runs (id, file_name, sha256, started_at) VALUES (1, 'clients.csv', 'x', '2025-01-01')`).run();
  ctx.store.db.prepare(`INSERT INTO customer_import_runs (customer_id, import_run_id, line, action) VALUES (?, 1, 12, 'inserted')`).run(b.id);
  setNow('2025-09-01T09:00:00.000Z');
  return { ctx, setNow, a, b };
}

forEachEngine('merge', (engine) => {
  it('keeps one record with the newest non-empty values (the fuller spelling of one) and everything attached', () => {
    const { ctx, a, b } = seed(engine);
    const res = mergeCustomers(ctx, { ids: [b.id, a.id], decidedBy: 'person', score: 0.97 });
    expect(res.survivor).toEqual({ id: a.id, uid: a.uid });
    expect(res.merged).toEqual([{ id: b.id, uid: b.uid }]);
    expect(ctx.store.customers.get(b.id)).toBeUndefined();
    const kept = ctx.store.customers.get(a.id);
    expect(kept?.firstName).toBe('Jean-Pierre');
    expect(kept?.email).toBe('jean-pierre.dupont@outlook.fr');
    expect(kept?.emailNorm).toBe('jean-pierre.dupont@outlook.fr');
    expect(kept?.phone).toBe('06 45 22 11 09');
    expect(kept?.mobile).toBe('07 11 22 33 44');
    expect(kept?.postalCode).toBe('75011');
    expect(kept?.notes).toBe('prefers calls');
    expect(kept?.createdAt).toBe('2025-03-01T09:00:00.000Z');
    expect(kept?.extra).toEqual({ Taille: 'L', 'merged.Taille': 'M', Fidélité: 'or', 'merged.email': 'jp.dupont@gmail.com' });
    expect(ctx.store.contacts.forCustomer(a.id)).toHaveLength(1);
    expect(ctx.store.interactions.forCustomer(a.id)).toHaveLength(2);
    expect(ctx.store.sales.forCustomer(a.id).map((s) => s.number)).toEqual(['F-12']);
    expect(ctx.store.categories.forCustomer(a.id).map((c) => c.name)).toEqual(['Salon', 'VIP']);
    expect(res.moved).toEqual({ contacts: 1, interactions: 1, sales: 1, consents: 2, categories: 1 });
  });

  it('keeps an opposition or a withdrawal from any merged record', () => {
    const { ctx, a, b } = seed(engine);
    const res = mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'auto' });
    expect(res.refusalsKept).toBe(2);
    const consents = ctx.store.consents.forCustomer(a.id);
    const latest = (channel: string) => consents.filter((c) => c.channel === channel).at(-1);
    expect(latest('email')?.state).toBe('withdrawn');
    expect(latest('sms')?.state).toBe('opposed');
    expect(latest('sms')?.proof).toContain(b.uid);
  });

  it('lets the person choose which value survives', () => {
    const { ctx, a, b } = seed(engine);
    mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person', choices: { first_name: a.id, email: a.id } });
    const kept = ctx.store.customers.get(a.id);
    expect(kept?.firstName).toBe('Jean-Pierre');
    expect(kept?.email).toBe('jp.dupont@gmail.com');
    expect(kept?.extra['merged.email']).toBe('jean-pierre.dupont@outlook.fr');
  });

  it('audits uids and counts, never personal data', () => {
    const { ctx, a, b } = seed(engine);
    mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person' });
    const entry = ctx.store.audit.list({ action: 'dedupe.merge' })[0];
    expect(entry?.subject).toBe(a.uid);
    expect(entry?.details.merged_uids).toEqual([b.uid]);
    expect(JSON.stringify(entry)).not.toMatch(/Dupont|gmail|outlook|06 45|Paris/);
  });

  it('never merges a restricted record', () => {
    const { ctx, a, b } = seed(engine);
    ctx.store.customers.setMarker(b.id, 'restricted_at', '2025-08-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z');
    expect(() => mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person' })).toThrow(/restricted/);
    expect(ctx.store.customers.get(b.id)).toBeDefined();
  });
});

forEachEngine('undo', (engine) => {
  it('leaves every table as it was before the merge, row for row', () => {
    const { ctx, a, b } = seed(engine);
    const before = dump(ctx, ['audit_log', 'merges']);
    const res = mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person', choices: { city: b.id } });
    expect(dump(ctx, ['audit_log', 'merges'])).not.toEqual(before);
    const undone = undoMerge(ctx, res.mergeId);
    expect(undone.restored).toEqual([{ id: b.id, uid: b.uid }]);
    expect(dump(ctx, ['audit_log', 'merges'])).toEqual(before);
    // The full-text index follows: both records are found again, by their own names.
    expect(ctx.store.customers.search(['J'], 10).map((c) => c.id)).toContain(b.id);
    // SQLite's FTS5 table is kept by triggers and checked here; PostgreSQL's index is on an expression of the row itself.
    if (engine === 'sqlite') expect(ctx.store.db.prepare(`INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')`).run().changes).toBeGreaterThanOrEqual(0);
    expect(mergeHistory(ctx)[0]).toMatchObject({ id: res.mergeId, survivor_uid: a.uid, merged_uids: [b.uid], merged_ids: [b.id] });
    expect(mergeHistory(ctx)[0]?.undone_at).not.toBeNull();
    expect(ctx.store.audit.list({ action: 'dedupe.undo' })).toHaveLength(1);
    expect(() => undoMerge(ctx, res.mergeId)).toThrow(/already undone/);
  });

  it('refuses when the survivor was edited since, unless forced', () => {
    const { ctx, setNow, a, b } = seed(engine);
    const res = mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person' });
    setNow('2025-10-01T00:00:00.000Z');
    editCustomer(ctx, String(a.id), ['city=Lyon']);
    expect(() => undoMerge(ctx, res.mergeId)).toThrow(/changed after merge/);
    undoMerge(ctx, res.mergeId, { force: true });
    expect(ctx.store.customers.get(b.id)?.uid).toBe(b.uid);
  });

  it('undoes merges built on one another in reverse order only', () => {
    const { ctx, a, b } = seed(engine);
    const c = addCustomer(ctx, { firstName: 'Jean Pierre', lastName: 'Dupont', city: 'Paris' }).customer;
    const before = dump(ctx, ['audit_log', 'merges']);
    const first = mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person' });
    const second = mergeCustomers(ctx, { ids: [a.id, c.id], decidedBy: 'person' });
    expect(() => undoMerge(ctx, first.mergeId)).toThrow(/was made after/);
    undoMerge(ctx, second.mergeId);
    undoMerge(ctx, first.mergeId);
    expect(dump(ctx, ['audit_log', 'merges'])).toEqual(before);
  });

  it('erases the snapshot copies of a forgotten person, leaving the merge listed', () => {
    const { ctx, a, b } = seed(engine);
    const res = mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person' });
    expect(forgetInMerges(ctx, [b.uid]).redacted).toEqual([res.mergeId]);
    const row = ctx.store.db.prepare('SELECT snapshot FROM merges WHERE id = ?').get(res.mergeId) as { snapshot: string };
    expect(row.snapshot).not.toMatch(/Dupont|gmail/);
    expect(() => undoMerge(ctx, res.mergeId)).toThrow(/erased/);
    expect(mergeHistory(ctx)).toHaveLength(1);
  });

  it('auto-merges every cluster above the threshold and each can be undone', async () => {
    const { ctx } = seed(engine);
    addCustomer(ctx, { companyName: 'Boulangerie Martin SARL', siret: '732 829 320 00074', city: 'Lyon' });
    addCustomer(ctx, { companyName: 'SARL Boulangerie Martin', siret: '732829320', city: 'Lyon' });
    const before = dump(ctx, ['audit_log', 'merges']);
    const res = await autoMerge(ctx);
    expect(res.merges).toHaveLength(2);
    expect(ctx.store.customers.count()).toBe(2);
    for (const m of [...res.merges].reverse()) undoMerge(ctx, m.mergeId);
    expect(dump(ctx, ['audit_log', 'merges'])).toEqual(before);
  });
});
