import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { mergeCustomers } from '../../src/core/dedupe/merge.js';
import { undoMerge } from '../../src/core/dedupe/undo.js';
import { addCustomField } from '../../src/core/fields/manage.js';
import { clockCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

/** Fields of one's own are first-class in a merge: carried to the survivor, never lost, restored by undo. */
forEachEngine('merging customers with fields of their own', (engine) => {
  it('carries every value to the survivor, keeps an older different one in extra, and undo gives each record its own back', () => {
    const { ctx, setNow } = clockCtx('2025-03-01T09:00:00.000Z', engine);
    addCustomField(ctx, { name: 'Potentiel', type: 'number' });
    addCustomField(ctx, { name: "Canal d'acquisition", type: 'choice', choices: ['Salon', 'Site web'] });
    addCustomField(ctx, { name: 'Date du salon', type: 'date' });
    const a = addCustomer(ctx, { firstName: 'Jean', lastName: 'Dupont', email: 'jean.dupont@gmail.com' }, ['potentiel=3', 'date_du_salon=12/03/2025']).customer;
    setNow('2025-06-01T09:00:00.000Z');
    const b = addCustomer(ctx, { firstName: 'Jean', lastName: 'Dupont', email: 'jean.dupont@outlook.fr' }, ['potentiel=5', "canal_d_acquisition=site WEB"]).customer;
    setNow('2025-09-01T09:00:00.000Z');

    const res = mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person', score: 0.9 });
    expect(res.survivor.id).toBe(a.id);
    const kept = ctx.store.customers.get(a.id);
    // The newest record's value wins, as for built-in fields; the merged-away record's own values come along.
    expect(kept?.custom).toEqual({ potentiel: 5, canal_d_acquisition: 'Site web', date_du_salon: '2025-03-12' });
    expect(kept?.extra['merged.potentiel']).toBe('3');

    undoMerge(ctx, res.mergeId);
    expect(ctx.store.customers.get(a.id)?.custom).toEqual({ potentiel: 3, date_du_salon: '2025-03-12' });
    expect(ctx.store.customers.get(b.id)?.custom).toEqual({ potentiel: 5, canal_d_acquisition: 'Site web' });
  });
});
