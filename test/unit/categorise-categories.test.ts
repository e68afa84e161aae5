import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { addSale } from '../../src/core/customers/activity.js';
import {
  addCategory,
  categorise,
  editCategory,
  listCategories,
  listFollowups,
  listSettings,
  readSettings,
  removeCategory,
  setSetting,
  tag,
  untag,
} from '../../src/core/categorise/index.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';

const NOW = '2026-11-23T10:00:00.000Z';

function setup(engine: TestEngine) {
  const ctx = memoryCtx(engine, NOW);
  const a = addCustomer(ctx, { firstName: 'Anne', lastName: 'Roux', email: 'anne@exemple.fr', postalCode: '69003' }).customer;
  const b = addCustomer(ctx, { firstName: 'Bruno', lastName: 'Petit', email: 'bruno@exemple.fr', postalCode: '75011' }).customer;
  return { ctx, a, b };
}

forEachEngine('categories', (engine) => {
  it('add checks names and rules; a bad rule is exit 2 with a caret', () => {
    const { ctx } = setup(engine);
    expect(addCategory(ctx, { name: '  Lyon   gros ', rule: 'department = "69"' }).category).toMatchObject({ name: 'Lyon gros', kind: 'rule', rule: 'department = "69"' });
    expect(() => addCategory(ctx, { name: 'lyon GROS' })).toThrow(/already exists/);
    expect(() => addCategory(ctx, { name: 'rfm:champions' })).toThrow(/built-in/);
    expect(() => addCategory(ctx, { name: 'A relancer' })).toThrow(/built-in/);
    expect(() => addCategory(ctx, { name: 'a, b' })).toThrow(/comma/);
    expect(() => addCategory(ctx, { name: '' })).toThrow(/needs a name/);
    let err: unknown;
    try {
      addCategory(ctx, { name: 'Cassé', rule: 'revenue >= "beaucoup"' });
    } catch (e) {
      err = e;
    }
    expect((err as { exitCode: number }).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/\n {2}revenue >= "beaucoup"\n {2} +\^/);
    expect(listCategories(ctx).map((c) => c.name)).toEqual(['Lyon gros']);
    const notes = addCategory(ctx, { name: 'Lyon fidèle', rule: 'category "Lyon gros" and category "Inconnue"' }).notes;
    expect(notes).toContain("the rule reads category 'inconnue', which does not exist yet");
    expect(() => editCategory(ctx, { name: 'Lyon gros', rule: 'category "Lyon fidèle"' })).toThrow(/depend on each other/);
  });

  it('editing away the rule removes its members but keeps manual tags', () => {
    const { ctx, a, b } = setup(engine);
    addCategory(ctx, { name: 'Lyon', rule: 'department = "69"' });
    tag(ctx, String(b.id), ['Lyon']);
    categorise(ctx);
    expect(listCategories(ctx).find((c) => c.name === 'Lyon')).toMatchObject({ members: 2, byAssigner: { manual: 1, rule: 1 } });
    const res = editCategory(ctx, { name: 'Lyon', rule: null });
    expect(res.category).toMatchObject({ kind: 'manual', rule: null });
    expect(res.notes[0]).toMatch(/1 member by rule left/);
    expect(ctx.store.categories.forCustomer(a.id)).toEqual([]);
    expect(ctx.store.categories.forCustomer(b.id)).toEqual([{ name: 'Lyon', assignedBy: 'manual' }]);
    expect(() => editCategory(ctx, { name: 'à relancer', rule: 'revenue > 0' })).toThrow(/no category|built-in/);
  });

  it('rm deletes the category with its memberships', () => {
    const { ctx, a } = setup(engine);
    tag(ctx, String(a.id), ['VIP']);
    expect(removeCategory(ctx, 'vip')).toMatchObject({ name: 'VIP', members: 1 });
    expect(listCategories(ctx)).toEqual([]);
    expect(() => removeCategory(ctx, 'VIP')).toThrow(/no category named/);
  });

  it('untag removes manual and imported tags and says what a rule keeps', () => {
    const { ctx, a } = setup(engine);
    addCategory(ctx, { name: 'Lyon', rule: 'department = "69"' });
    categorise(ctx);
    const cat = ctx.store.categories.ensure('Salon', NOW);
    ctx.store.categories.assign(a.id, cat.id, 'import', NOW);
    tag(ctx, String(a.id), ['Lyon']);
    const res = untag(ctx, 'anne@exemple.fr', ['Lyon', 'Salon']);
    expect(res.removed.sort()).toEqual(['Lyon', 'Salon']);
    expect(res.stays).toEqual([{ name: 'Lyon', by: ['rule'] }]);
    expect(() => tag(ctx, String(a.id), ['rfm:inconnu'])).toThrow(/built-in/);
    expect(tag(ctx, String(a.id), ['rfm:champions']).added).toEqual(['rfm:champions']); // exists after categorise
  });
});

forEachEngine('settings', (engine) => {
  it('reads defaults, validates, and drives the follow-ups', () => {
    const { ctx, b } = setup(engine);
    expect(readSettings(ctx)).toMatchObject({ formerAfterMonths: 24, quoteDays: 15, noContactMonths: 6, invoiceTermsDays: 30, invoiceGraceDays: 0 });
    addSale(ctx, String(b.id), { kind: 'quote', amount: '500', status: 'sent', issued: '2026-11-13' });
    expect(listFollowups(ctx).followups).toEqual([]); // 10 days: not yet
    expect(setSetting(ctx, 'followup.quote_days', '7')).toMatchObject({ value: 7, isDefault: false });
    expect(listFollowups(ctx).followups.map((f) => [f.id, f.reasons[0]?.reason, f.days])).toEqual([[b.id, 'quote', 10]]);
    expect(() => setSetting(ctx, 'followup.quote_days', 'abc')).toThrow(/whole number/);
    expect(() => setSetting(ctx, 'retention.years', '3')).toThrow(/unknown setting/);
    expect(() => setSetting(ctx, 'stats.band_medium_euros', '50000')).toThrow(/above/);
    expect(readSettings(ctx).bandMediumEuros).toBe(1000); // the refused change was rolled back
    setSetting(ctx, 'followup.quote_days', 'default');
    expect(listSettings(ctx).find((s) => s.key === 'followup.quote_days')).toMatchObject({ value: 15, isDefault: true });
    ctx.store.settings.set('lifecycle.former_after_months', 'deux ans');
    expect(() => categorise(ctx)).toThrow(/lifecycle.former_after_months='deux ans'/);
  });
});
