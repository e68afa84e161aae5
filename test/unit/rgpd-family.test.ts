import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { addContact, addSale } from '../../src/core/customers/activity.js';
import { mergeCustomers } from '../../src/core/dedupe/merge.js';
import { forget } from '../../src/core/rgpd/forget.js';
import { purge } from '../../src/core/rgpd/purge.js';
import { suppressionChecker } from '../../src/core/rgpd/suppression.js';
import { clockCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';

const NOW = '2026-11-23T10:00:00.000Z';
const FAMILY = 'contact@famille.fr';

/** Two people of one household share the family address; the old prospect goes, the client stays. */
function household(engine: TestEngine) {
  const { ctx, setNow } = clockCtx('2020-01-10T09:00:00.000Z', engine);
  const prospect = addCustomer(ctx, { firstName: 'Paul', lastName: 'Famille', email: FAMILY, phone: '06 11 22 33 44' }).customer;
  const client = addCustomer(ctx, { firstName: 'Claire', lastName: 'Famille', email: FAMILY, phone: '06 55 66 77 88' }).customer;
  setNow('2025-06-01T10:00:00.000Z');
  addSale(ctx, client.uid, { kind: 'invoice', number: 'F-1', amount: '120', status: 'paid', issued: '2025-06-01' });
  setNow(NOW);
  return { ctx, setNow, prospect, client };
}

const blocked = (ctx: ReturnType<typeof household>['ctx'], ids: { emailNorm?: string; phoneE164?: string }) => suppressionChecker(ctx.store)(ids).suppressed;

forEachEngine('an identifier a customer who stays also holds is kept off the suppression list', (engine) => {
  it('forget: the family e-mail stays usable, the erased person\'s own phone is suppressed', async () => {
    const { ctx, prospect, client } = household(engine);
    const r = await forget(ctx, prospect.uid);
    expect(r.kept).toEqual([{ kind: 'email', holders: 1 }]);
    expect(r.suppressed).toBe(1);
    expect(blocked(ctx, { emailNorm: FAMILY })).toBe(false);
    expect(blocked(ctx, { phoneE164: '+33611223344' })).toBe(true);
    // the family e-mail is the client's own data: no warning about a trace of the erased person
    expect(r.scrub.rowTraces).toEqual([]);
    expect(ctx.store.customers.get(client.id)?.email).toBe(FAMILY);
  });

  it('purge: the old prospect goes, the client who shares the e-mail keeps receiving her imports', async () => {
    const { ctx, prospect } = household(engine);
    const r = await purge(ctx, { dryRun: false });
    expect(r.items.map((i) => i.uid)).toEqual([prospect.uid]);
    expect(r.counts.kept).toBe(1);
    expect(blocked(ctx, { emailNorm: FAMILY })).toBe(false);
    expect(blocked(ctx, { phoneE164: '+33611223344' })).toBe(true);
    expect(r.scrub?.rowTraces).toEqual([]);
    const audit = ctx.store.audit.list({ action: 'rgpd.purge', limit: 1 })[0];
    expect(audit?.details.kept_shared).toBe(1);
  });

  it('when the last holder goes too, the e-mail is suppressed', async () => {
    const { ctx, prospect, client } = household(engine);
    await forget(ctx, prospect.uid);
    const r = await forget(ctx, client.uid);
    expect(r.kept).toEqual([]);
    expect(blocked(ctx, { emailNorm: FAMILY })).toBe(true);
  });

  it('dedupe merges: a survivor holding the e-mail only through a merged record keeps it; an erased survivor\'s merged identifiers are suppressed', async () => {
    const { ctx } = clockCtx(NOW, engine);
    const claire = addCustomer(ctx, { firstName: 'Claire', lastName: 'Famille', email: 'claire@perso.fr' }).customer;
    const claireOld = addCustomer(ctx, { firstName: 'Claire', lastName: 'Famille', email: FAMILY }).customer;
    const merged = mergeCustomers(ctx, { ids: [claire.id, claireOld.id], decidedBy: 'auto' });
    const paul = addCustomer(ctx, { firstName: 'Paul', lastName: 'Famille', email: FAMILY }).customer;
    const r = await forget(ctx, paul.uid);
    expect(r.kept).toEqual([{ kind: 'email', holders: 1 }]);
    expect(blocked(ctx, { emailNorm: FAMILY })).toBe(false);
    // Claire's merge snapshot holds the family address: it is hers, so her merge stays undoable.
    expect(r.mergesRemoved).toEqual([]);

    const gone = await forget(ctx, merged.survivor.uid);
    expect(gone.kept).toEqual([]);
    expect(blocked(ctx, { emailNorm: 'claire@perso.fr' })).toBe(true);
    // the merged record's address is hers too: the nightly import must not bring the duplicate back
    expect(blocked(ctx, { emailNorm: FAMILY })).toBe(true);
  });

  it('forget of a contact person: the company\'s switchboard number stays usable, the person\'s own e-mail is suppressed', async () => {
    const { ctx } = clockCtx(NOW, engine);
    const company = addCustomer(ctx, { companyName: 'Atelier Durand', email: 'accueil@atelier-durand.fr', phone: '04 72 00 00 00' }).customer;
    addContact(ctx, company.uid, { firstName: 'Luc', lastName: 'Perrin', email: 'luc.perrin@atelier-durand.fr', phone: '04 72 00 00 00' });
    const r = await forget(ctx, 'luc.perrin@atelier-durand.fr');
    expect(r.mode).toBe('contact-erased');
    expect(r.kept).toEqual([{ kind: 'phone', holders: 1 }]);
    expect(blocked(ctx, { phoneE164: '+33472000000' })).toBe(false);
    expect(blocked(ctx, { emailNorm: 'luc.perrin@atelier-durand.fr' })).toBe(true);
  });
});
