import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { addContact, addSale, logInteraction } from '../../src/core/customers/activity.js';
import { tagCustomer } from '../../src/core/customers/tags.js';
import { CancelledError } from '../../src/core/errors.js';
import { forget } from '../../src/core/rgpd/forget.js';
import { recordConsent } from '../../src/core/rgpd/rights.js';
import { hashIdentifier, suppressionChecker, suppressionSalt } from '../../src/core/rgpd/suppression.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

type Ctx = ReturnType<typeof memoryCtx>;

function person(ctx: Ctx, lastName: string, email: string, phone: string, siret?: string) {
  return addCustomer(ctx, { lastName, firstName: 'Marie', email, phone, siret, notes: `${lastName} aime le thé`, addressLine1: '3 rue Haute', city: 'Lyon', extra: { Fidélité: 'or' } }).customer;
}

/** What dedupe writes: a merge with its undo snapshot, and a "different people" decision. */
function dedupeTraces(ctx: Ctx, survivorId: number, uid: string, otherUid: string): void {
  const snapshot = JSON.stringify({ survivor: { uid, email: 'x' }, merged: [{ uid: otherUid }] });
  ctx.store.db.prepare(`INSERT INTO merges (survivor_id, merged_ids, snapshot, merged_at) VALUES (?, '[999]', ?, '2026-01-01')`).run(survivorId, snapshot);
  const [a, b] = [uid, otherUid].sort();
  ctx.store.db.prepare(`INSERT INTO dedupe_decisions (uid_a, uid_b, decided_at) VALUES (?, ?, '2026-01-01')`).run(a, b);
}

function count(ctx: Ctx, sql: string, ...params: unknown[]): number {
  return (ctx.store.db.prepare(sql).get(...params) as { n: number }).n;
}

forEachEngine('rgpd forget', (engine) => {
  it('removes the person from every table, merges and decisions, and records only a hash', async () => {
    const ctx = memoryCtx(engine);
    const a = person(ctx, 'Zellweger', 'marie.zellweger@ex.fr', '06 11 22 33 44', '732 829 320 00074');
    const b = person(ctx, 'Other', 'other@ex.fr', '06 99 88 77 66');
    logInteraction(ctx, b.uid, { kind: 'call', direction: 'in', note: 'recommandé par Marie Zellweger' });
    addContact(ctx, a.uid, { firstName: 'Paul', lastName: 'Assistant', email: 'paul.assistant@ex.fr', phone: '04 78 00 00 01' });
    logInteraction(ctx, a.uid, { kind: 'call', direction: 'in', note: 'rappeler Zellweger' });
    addSale(ctx, a.uid, { kind: 'quote', number: 'D-1', amount: '100', status: 'sent' });
    recordConsent(ctx, a.uid, { channel: 'email', state: 'granted', source: 'salon' });
    tagCustomer(ctx, a.uid, ['VIP']);
    ctx.store.db.prepare(`INSERT INTO import_runs (file_name, sha256, started_at) VALUES ('f.csv', 'abc', '2026-01-01')`).run();
    ctx.store.db.prepare(`INSERT INTO customer_import_runs (customer_id, import_run_id, line, action) VALUES (?, 1, 2, 'inserted')`).run(a.id);
    dedupeTraces(ctx, a.id, a.uid, b.uid);
    dedupeTraces(ctx, b.id, b.uid, 'ffffffff-0000-0000-0000-000000000000');

    ctx.store.audit.record({ at: '2026-01-01', action: 'export.run', details: { where: 'email = "Marie.Zellweger@ex.fr" or phone = "0611223344"', count: 1 } });
    ctx.store.audit.record({ at: '2026-01-01', action: 'export.run', details: { where: 'siret = "732 829 320 00074" or email ~ "other@ex.fr"', count: 2 } });

    const r = await forget(ctx, 'Marie.Zellweger@ex.fr');
    expect(r.mode).toBe('erased');
    expect(r.auditRedacted).toBe(2);
    expect(ctx.store.audit.list({ action: 'export.run' }).map((e) => e.details.where)).toEqual([
      'siret = "[erased]" or email ~ "other@ex.fr"',
      'email = "[erased]" or phone = "[erased]"',
    ]);
    expect(r.removed).toMatchObject({ customers: 1, contacts: 1, interactions: 1, sales: 1, consents: 1, customer_categories: 1, customer_import_runs: 1 });
    expect(r.mergesRemoved).toEqual([1]);
    expect(r.decisionsRemoved).toBe(1);
    for (const t of ['contacts', 'interactions', 'sales', 'consents', 'customer_categories', 'customer_import_runs']) {
      expect(count(ctx, `SELECT count(*) AS n FROM ${t} WHERE customer_id = ?`, a.id), t).toBe(0);
    }
    expect(count(ctx, 'SELECT count(*) AS n FROM customers')).toBe(1);
    expect(count(ctx, 'SELECT count(*) AS n FROM merges')).toBe(1);
    expect(count(ctx, 'SELECT count(*) AS n FROM dedupe_decisions WHERE uid_a = ? OR uid_b = ?', a.uid, a.uid)).toBe(0);
    // SQLite's FTS5 table holds its own copy of the words; PostgreSQL's index is an expression of the rows, read through the search.
    if (engine === 'sqlite') expect(count(ctx, `SELECT count(*) AS n FROM customers_fts WHERE customers_fts MATCH 'zellweger'`)).toBe(0);
    expect(ctx.store.customers.search(['zellweger'], 10, true)).toEqual([]);

    const salt = suppressionSalt(ctx.store);
    const entry = ctx.store.audit.list({ action: 'rgpd.forget' })[0]!;
    expect(entry.subject).toBe(hashIdentifier(salt, 'email', 'marie.zellweger@ex.fr'));
    const everything = JSON.stringify(ctx.store.audit.list({ limit: 1000 }));
    expect(everything).not.toMatch(/zellweger|0611223344|\+33611223344|73282932000074|assistant/i);
    const check = suppressionChecker(ctx.store);
    expect(check({ emailNorm: 'marie.zellweger@ex.fr' }).suppressed).toBe(true);
    expect(check({ phoneE164: '+33611223344' }).suppressed).toBe(true);
    expect(check({ siret: '73282932000074' }).suppressed).toBe(true);
    expect(check({ emailNorm: 'paul.assistant@ex.fr' }).suppressed).toBe(true);
    expect(check({ emailNorm: 'other@ex.fr' }).suppressed).toBe(false);
    expect(r.scrub.rowTraces).toEqual([]);
    expect(r.scrub.mentions).toEqual([{ table: 'interactions', column: 'summary', rows: 1 }]);
  });

  it('keeps invoices under legal retention with the identity they need, on an archived record', async () => {
    const ctx = memoryCtx(engine);
    const a = person(ctx, 'Facturée', 'facturee@ex.fr', '06 12 12 12 12', '732 829 320 00074');
    addSale(ctx, a.uid, { kind: 'invoice', number: 'F-2024-7', amount: '480', status: 'paid', issued: '2024-03-01' });
    addSale(ctx, a.uid, { kind: 'invoice', number: 'F-2015-1', amount: '80', status: 'paid', issued: '2015-01-01' });
    addSale(ctx, a.uid, { kind: 'quote', number: 'D-9', amount: '480', status: 'accepted', issued: '2024-02-01' });
    recordConsent(ctx, a.uid, { channel: 'sms', state: 'granted', source: 'devis signé' });
    logInteraction(ctx, a.uid, { kind: 'email', direction: 'in', note: 'question' });
    addContact(ctx, a.uid, { lastName: 'Compta', email: 'compta@ex.fr' });

    const r = await forget(ctx, String(a.id));
    expect(r.mode).toBe('kept-for-accounts');
    expect(r.keptInvoices).toEqual([{ kind: 'invoice', number: 'F-2024-7', issuedOn: '2024-03-01' }]);
    expect(r.keptUntil).toBe('2034-03-01');
    const kept = ctx.store.customers.get(a.id)!;
    expect(kept.archivedAt).toBe('2026-11-23T10:00:00.000Z');
    expect([kept.lastName, kept.addressLine1, kept.city, kept.siret]).toEqual(['Facturée', '3 rue Haute', 'Lyon', '73282932000074']);
    expect([kept.email, kept.emailNorm, kept.phone, kept.phoneE164, kept.notes]).toEqual([null, null, null, null, null]);
    expect(kept.extra).toEqual({});
    expect(ctx.store.sales.forCustomer(a.id).map((s) => s.number)).toEqual(['F-2024-7']);
    expect(ctx.store.consents.forCustomer(a.id)).toEqual([]);
    expect(ctx.store.interactions.forCustomer(a.id)).toEqual([]);
    expect(ctx.store.contacts.forCustomer(a.id)).toEqual([]);
    expect(suppressionChecker(ctx.store)({ siret: '73282932000074' }).suppressed).toBe(true);
  });

  it('erases only the contact person when given a contact e-mail', async () => {
    const ctx = memoryCtx(engine);
    const co = addCustomer(ctx, { kind: 'company', companyName: 'Boulangerie Martin', email: 'contact@martin.fr' }).customer;
    addContact(ctx, co.uid, { firstName: 'Paul', lastName: 'Comptable', email: 'paul@martin.fr' });
    const r = await forget(ctx, 'paul@martin.fr');
    expect(r.mode).toBe('contact-erased');
    expect(ctx.store.customers.get(co.id)?.companyName).toBe('Boulangerie Martin');
    expect(ctx.store.contacts.forCustomer(co.id)).toEqual([]);
    expect(suppressionChecker(ctx.store)({ emailNorm: 'paul@martin.fr' }).suppressed).toBe(true);
    expect(suppressionChecker(ctx.store)({ emailNorm: 'contact@martin.fr' }).suppressed).toBe(false);
  });

  it('changes nothing when the confirmation is refused', async () => {
    const ctx = memoryCtx(engine);
    const a = person(ctx, 'Hésitant', 'hesitant@ex.fr', '06 13 13 13 13');
    let shown = '';
    await expect(forget(ctx, a.uid, { confirm: (p) => ((shown = p.name), false) })).rejects.toBeInstanceOf(CancelledError);
    expect(shown).toBe('Marie Hésitant');
    expect(ctx.store.customers.get(a.id)).toBeDefined();
    expect(ctx.store.suppressions.count()).toBe(0);
  });
});
