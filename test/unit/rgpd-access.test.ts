import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { addContact, addSale, logInteraction } from '../../src/core/customers/activity.js';
import { tagCustomer } from '../../src/core/customers/tags.js';
import { accessRequest, buildAccessReport } from '../../src/core/rgpd/access.js';
import { optout, recordConsent } from '../../src/core/rgpd/rights.js';
import { memoryCtx, tempDir } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';

function twoPeople(engine: TestEngine) {
  const ctx = memoryCtx(engine);
  const mk = (last: string, email: string, phone: string, note: string, inv: string) => {
    const c = addCustomer(ctx, { firstName: 'Anne', lastName: last, email, phone, notes: note, extra: { Parrain: `${last}-parrain` } }).customer;
    addContact(ctx, c.uid, { lastName: `${last}-contact`, email: `contact.${email}` });
    logInteraction(ctx, c.uid, { kind: 'call', direction: 'in', note: `appel de ${last}` });
    addSale(ctx, c.uid, { kind: 'invoice', number: inv, amount: '250', status: 'paid', issued: '2026-05-01' });
    recordConsent(ctx, c.uid, { channel: 'email', state: 'granted', source: `form-${last}`, proof: `proof-${last}` });
    tagCustomer(ctx, c.uid, [`Cat-${last}`]);
    return c;
  };
  const a = mk('Aubert', 'anne.aubert@ex.fr', '06 21 21 21 21', 'note Aubert', 'F-A-1');
  const b = mk('Bernier', 'anne.bernier@ex.fr', '06 31 31 31 31', 'note Bernier', 'F-B-1');
  ctx.store.db.prepare(`INSERT INTO import_runs (file_name, sha256, source, started_at) VALUES ('salon-2026.csv', 'aa', 'Salon', '2026-01-01'), ('autre.csv', 'bb', 'Achat', '2026-01-02')`).run();
  ctx.store.db.prepare(`INSERT INTO customer_import_runs (customer_id, import_run_id, line, action) VALUES (?, 1, 7, 'inserted'), (?, 2, 3, 'inserted')`).run(a.id, b.id);
  optout(ctx, b.uid, { channel: 'sms' });
  // What dedupe records when told two records are different people: both uids in the details.
  ctx.store.audit.record({ at: '2026-06-01', action: 'dedupe.distinct', subject: b.uid, details: { uids: [b.uid, a.uid] } });
  return { ctx, a, b };
}

forEachEngine('rgpd access', (engine) => {
  it('holds every table’s rows about the person and nothing about anyone else', () => {
    const { ctx, a, b } = twoPeople(engine);
    const r = buildAccessReport(ctx, 'anne.aubert@ex.fr');
    expect(r.subject.uid).toBe(a.uid);
    expect(r.customer).toMatchObject({ uid: a.uid, last_name: 'Aubert', email: 'anne.aubert@ex.fr', extra: { Parrain: 'Aubert-parrain' } });
    expect(r.contacts.map((c) => c.last_name)).toEqual(['Aubert-contact']);
    expect(r.interactions.map((i) => i.summary)).toEqual(['appel de Aubert']);
    expect(r.sales.map((s) => s.number)).toEqual(['F-A-1']);
    expect(r.consents.map((c) => [c.channel, c.state, c.source, c.proof])).toEqual([['email', 'granted', 'form-Aubert', 'proof-Aubert']]);
    expect(r.categories.map((c) => c.name)).toEqual(['Cat-Aubert']);
    expect(r.import_runs).toEqual([expect.objectContaining({ file_name: 'salon-2026.csv', line: 7, action: 'inserted', source: 'Salon' })]);
    expect(r.sources).toContain('import of salon-2026.csv (Salon)');
    expect(r.audit.map((e) => e.action)).toEqual(expect.arrayContaining(['customer.add', 'interaction.add', 'sale.add', 'rgpd.consent', 'rgpd.access']));
    expect(r.audit.find((e) => e.action === 'dedupe.distinct')?.details).toEqual({ uids: ['another record', a.uid] });
    expect(r.processing.retention).toContainEqual({ data: 'invoices', kept_until: '2036-05-01', rule: '10 years from issue' });

    const text = JSON.stringify(r);
    for (const other of [b.uid, 'Bernier', 'anne.bernier', '0631313131', '+33631313131', '06 31 31 31 31', 'F-B-1', 'autre.csv', 'rgpd.optout']) {
      expect(text, other).not.toContain(other);
    }
  });

  it('shows the opposition of the person it is about', () => {
    const { ctx } = twoPeople(engine);
    const r = buildAccessReport(ctx, 'anne.bernier@ex.fr');
    expect(r.consents.map((c) => c.state)).toEqual(['granted', 'opposed']);
    expect(r.suppressions.map((s) => [s.kind, s.channel, s.reason])).toContainEqual(['email', 'sms', 'opposed']);
    expect(JSON.stringify(r)).not.toContain('Aubert');
  });

  it('writes a Markdown report with mode 0600', () => {
    const { ctx } = twoPeople(engine);
    const t = tempDir();
    try {
      const file = join(t.dir, 'sub', 'acces.md');
      const r = accessRequest(ctx, 'anne.aubert@ex.fr', { format: 'md', out: file });
      expect(r.content).toBeNull();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const md = readFileSync(file, 'utf8');
      expect(md).toMatch(/^# Personal data held about you/);
      expect(md).toContain('| last_name | Aubert |');
      expect(md).toContain('appel de Aubert');
      expect(md).not.toContain('Bernier');
    } finally {
      t.cleanup();
    }
  });
});
