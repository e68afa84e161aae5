import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { addSale, logInteraction } from '../../src/core/customers/activity.js';
import { tagCustomer } from '../../src/core/customers/tags.js';
import { setPolicy } from '../../src/core/rgpd/policy.js';
import { purge } from '../../src/core/rgpd/purge.js';
import { planPurge } from '../../src/core/rgpd/purge-plan.js';
import { optout, recordConsent, setRestriction } from '../../src/core/rgpd/rights.js';
import { suppressionChecker } from '../../src/core/rgpd/suppression.js';
import { clockCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';

const NOW = '2026-11-23T10:00:00.000Z';

/** A file built over the years: the clock moves as data is added, then stops at NOW. */
function fileOverTime(engine: TestEngine) {
  const { ctx, setNow } = clockCtx('2020-01-10T09:00:00.000Z', engine);
  const add = (lastName: string, email: string) => addCustomer(ctx, { lastName, email, notes: `notes on ${lastName}`, extra: { Newsletter: 'oui' } }).customer;
  const old = add('Ancien', 'ancien@ex.fr');
  const recent = add('Recent', 'recent@ex.fr');
  const onCutoff = add('Pile', 'pile@ex.fr');
  const client = add('Cliente', 'cliente@ex.fr');
  const gone = add('Parti', 'parti@ex.fr');
  setNow('2023-11-25T00:00:00.000Z');
  // 3 years and a day before NOW, 3 years minus a day, and on the cutoff day itself.
  logInteraction(ctx, old.uid, { kind: 'call', direction: 'in', at: '2023-11-22T10:00:00Z' });
  logInteraction(ctx, recent.uid, { kind: 'email', direction: 'in', at: '2023-11-24T10:00:00Z' });
  logInteraction(ctx, onCutoff.uid, { kind: 'email', direction: 'in', at: '2023-11-23T00:00:00Z' });
  setNow('2022-11-20T10:00:00.000Z');
  addSale(ctx, client.uid, { kind: 'invoice', number: 'F-2022-1', amount: '1200', status: 'paid', issued: '2022-11-20' });
  addSale(ctx, client.uid, { kind: 'quote', number: 'D-2022-1', amount: '900', status: 'refused', issued: '2022-10-01' });
  recordConsent(ctx, client.uid, { channel: 'email', state: 'granted', source: 'formulaire' });
  tagCustomer(ctx, client.uid, ['VIP']);
  logInteraction(ctx, client.uid, { kind: 'meeting', direction: 'out', note: 'rendez-vous' });
  addSale(ctx, gone.uid, { kind: 'invoice', number: 'F-2016-9', amount: '300', status: 'paid', issued: '2016-11-01' });
  setNow(NOW);
  return { ctx, setNow, old, recent, onCutoff, client, gone };
}

forEachEngine('rgpd purge in bulk', (engine) => {
  it('rebuilds the full-text index once and puts its triggers back', async () => {
    const { ctx, setNow } = clockCtx('2020-01-10T09:00:00.000Z', engine);
    for (let i = 0; i < 150; i++) addCustomer(ctx, { lastName: `Vieux${i}`, email: `vieux${i}@ex.fr` });
    setNow(NOW);
    for (let i = 0; i < 3; i++) addCustomer(ctx, { lastName: `Neuf${i}`, email: `neuf${i}@ex.fr` });
    const triggersSql =
      engine === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`
        : `SELECT tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY 1`;
    const triggers = () => (ctx.store.db.prepare(triggersSql).all() as { name: string }[]).map((t) => t.name);
    const before = triggers();
    const r = await purge(ctx, { dryRun: false });
    expect(r.counts.erased).toBe(150);
    expect(triggers()).toEqual(before);
    // SQLite's FTS5 table is checked, and read, directly; PostgreSQL's index is an expression of the row, read through the search.
    const search =
      engine === 'sqlite'
        ? (w: string) => (ctx.store.db.prepare(`SELECT count(*) AS n FROM customers_fts WHERE customers_fts MATCH ?`).get(w) as { n: number }).n
        : (w: string) => ctx.store.customers.search([w.replace(/\*$/, '')], 1000).length;
    if (engine === 'sqlite') ctx.store.db.exec(`INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')`);
    expect(search('vieux*')).toBe(0);
    expect(search('neuf*')).toBe(3);
    // the triggers work again afterwards
    addCustomer(ctx, { lastName: 'Encore', email: 'encore@ex.fr' });
    expect(search('encore')).toBe(1);
  });
});

forEachEngine('rgpd purge with a clock', (engine) => {
  it('plans from the data: prospects by last incoming contact, clients by relationship and invoices', () => {
    const { ctx, old, client, gone } = fileOverTime(engine);
    const plan = planPurge(ctx);
    const byUid = new Map(plan.items.map((i) => [i.uid, i]));
    expect([...byUid.keys()].sort()).toEqual([old.uid, client.uid, gone.uid].sort());
    expect(byUid.get(old.uid)).toMatchObject({ kind: 'prospect', rule: 'prospect', action: 'erase', referenceDate: '2023-11-22T10:00:00.000Z', name: 'Ancien' });
    expect(byUid.get(client.uid)).toMatchObject({ kind: 'client', rule: 'client-marketing', action: 'archive', referenceDate: '2022-11-20' });
    expect(byUid.get(gone.uid)).toMatchObject({ kind: 'client', rule: 'invoices', action: 'erase', referenceDate: '2016-11-01' });
    expect(plan.cutoffs).toMatchObject({ prospect: '2023-11-23', marketing: '2023-11-23', invoices: '2016-11-23' });
  });

  it('an accepted quote makes a client; a quote we sent is no contact from a prospect', async () => {
    const { ctx, setNow } = clockCtx('2020-01-10T09:00:00.000Z', engine);
    const signed = addCustomer(ctx, { lastName: 'Signé', email: 'signe@ex.fr' }).customer;
    const courted = addCustomer(ctx, { lastName: 'Relancé', email: 'relance@ex.fr' }).customer;
    setNow('2025-06-01T10:00:00.000Z');
    addSale(ctx, signed.uid, { kind: 'quote', number: 'D-1', amount: '500', status: 'accepted', issued: '2022-11-20' });
    addSale(ctx, courted.uid, { kind: 'quote', number: 'D-2', amount: '500', status: 'sent', issued: '2025-06-01' });
    logInteraction(ctx, courted.uid, { kind: 'email', direction: 'out', note: 'relance' });
    setNow(NOW);
    const items = planPurge(ctx).items.map((i) => [i.uid, i.kind, i.rule, i.action, i.referenceDate]);
    expect(items).toEqual([
      [signed.uid, 'client', 'client-marketing', 'erase', '2022-11-20'],
      [courted.uid, 'prospect', 'prospect', 'erase', '2020-01-10T09:00:00.000Z'],
    ]);
  });

  it('a dry run changes nothing', async () => {
    const { ctx } = fileOverTime(engine);
    const r = await purge(ctx, { dryRun: true });
    expect(r.counts).toMatchObject({ erased: 2, archived: 1 });
    expect(ctx.store.customers.count()).toBe(5);
    expect(ctx.store.audit.list({ action: 'rgpd.purge' })).toHaveLength(0);
  });

  it('erases the 3-years-and-a-day prospect, keeps the younger ones, archives the client to their invoice, erases past 10 years', async () => {
    const { ctx, old, recent, onCutoff, client, gone } = fileOverTime(engine);
    const r = await purge(ctx, { dryRun: false });
    expect(r.counts).toMatchObject({ erased: 2, archived: 1, anonymised: 0, held: 0 });
    expect(r.items.every((i) => !('name' in i))).toBe(true);
    const s = ctx.store;
    expect(s.customers.getByUid(old.uid)).toBeUndefined();
    expect(s.customers.getByUid(gone.uid)).toBeUndefined();
    expect(s.customers.getByUid(recent.uid)?.archivedAt).toBeNull();
    expect(s.customers.getByUid(onCutoff.uid)?.archivedAt).toBeNull();

    const kept = s.customers.getByUid(client.uid)!;
    expect(kept.archivedAt).toBe(NOW);
    expect(kept.lastName).toBe('Cliente');
    expect([kept.email, kept.emailNorm, kept.notes]).toEqual([null, null, null]);
    expect(kept.extra).toEqual({});
    expect(s.sales.forCustomer(kept.id).map((x) => x.number)).toEqual(['F-2022-1']);
    expect(s.consents.forCustomer(kept.id)).toEqual([]);
    expect(s.categories.forCustomer(kept.id)).toEqual([]);
    expect(s.interactions.forCustomer(kept.id)).toEqual([]);

    const audit = s.audit.list({ action: 'rgpd.purge' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.subject).toBeNull();
    expect(audit[0]!.details).toMatchObject({ erased: 2, archived: 1 });
    expect(JSON.stringify(audit)).not.toMatch(/ancien|parti|cliente/i);
    // The erased do not come back through an import; a purge run again finds nothing new.
    expect(suppressionChecker(s)({ emailNorm: 'ancien@ex.fr' }).suppressed).toBe(true);
    expect((await purge(ctx, { dryRun: true })).items).toEqual([]);
  });

  it('erases the archived client once their last invoice is past 10 years', async () => {
    const { ctx, setNow, client } = fileOverTime(engine);
    await purge(ctx, { dryRun: false });
    setNow('2032-11-20T10:00:00.000Z'); // ten years to the day: still kept
    expect((await purge(ctx, { dryRun: true })).items.filter((i) => i.uid === client.uid)).toEqual([]);
    setNow('2032-11-21T10:00:00.000Z');
    const r = await purge(ctx, { dryRun: false });
    expect(r.items.map((i) => [i.uid, i.rule, i.action])).toContainEqual([client.uid, 'invoices', 'erase']);
    expect(ctx.store.customers.getByUid(client.uid)).toBeUndefined();
  });

  it('holds restricted records and clients with an unpaid invoice, listing why', async () => {
    const { ctx, old, client } = fileOverTime(engine);
    setRestriction(ctx, old.uid, true, 'claims');
    addSale(ctx, client.uid, { kind: 'invoice', number: 'F-2022-2', amount: '50', status: 'unpaid', issued: '2022-11-20' });
    const r = await purge(ctx, { dryRun: false });
    expect(r.held.map((h) => [h.uid, h.heldBecause])).toEqual([
      [old.uid, 'restricted'],
      [client.uid, 'unpaid-invoice'],
    ]);
    expect(ctx.store.customers.getByUid(old.uid)).toBeDefined();
    expect(ctx.store.customers.getByUid(client.uid)?.archivedAt).toBeNull();
  });

  it('keeps an opposition as a suppression when archiving deletes the consent rows', async () => {
    const { ctx, client } = fileOverTime(engine);
    optout(ctx, client.uid, { channel: 'email' });
    await purge(ctx, { dryRun: false });
    expect(ctx.store.consents.forCustomer(client.id)).toEqual([]);
    expect(suppressionChecker(ctx.store)({ emailNorm: 'cliente@ex.fr' })).toMatchObject({ suppressed: true });
  });

  it('inactive-anonymise keeps an anonymous shell with the sales figures instead of erasing', async () => {
    const { ctx, old, gone } = fileOverTime(engine);
    setPolicy(ctx, 'inactive-anonymise', '3y');
    const plan = planPurge(ctx);
    expect(plan.items.find((i) => i.uid === gone.uid)).toMatchObject({ rule: 'inactive-anonymise', action: 'anonymise' });
    await purge(ctx, { dryRun: false });
    const shell = ctx.store.customers.getByUid(gone.uid)!;
    expect([shell.lastName, shell.email, shell.notes, shell.archivedAt]).toEqual([null, null, null, NOW]);
    expect(ctx.store.sales.forCustomer(shell.id).map((x) => [x.number, x.amountCents])).toEqual([[null, 30000]]);
    expect(ctx.store.customers.getByUid(old.uid)?.lastName).toBeNull();
    expect((await purge(ctx, { dryRun: true })).items).toEqual([]);
  });
});
