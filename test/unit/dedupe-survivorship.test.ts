import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { fullerOf, fullestIndex } from '../../src/core/dedupe/fuller.js';
import { mergeCustomers } from '../../src/core/dedupe/merge.js';
import { clusterDetail } from '../../src/core/dedupe/review.js';
import { autoMerge } from '../../src/core/dedupe/auto.js';
import { clockCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

forEachEngine('survivorship: the fuller spelling wins, the newest breaks ties', (engine) => {
  it('knows which of two spellings says more', () => {
    expect(fullerOf('given', 'Jean-Pierre', 'J.-P.')).toBe(1);
    expect(fullerOf('given', 'JP', 'Jean Pierre')).toBe(-1);
    expect(fullerOf('given', 'Jean-Pierre', 'Jean')).toBe(1);
    expect(fullerOf('given', 'Marie', 'Pierre')).toBe(0);
    expect(fullerOf('address', '3 avenue Jean Jaurès', '3 av. Jean-Jaurès')).toBe(1);
    expect(fullerOf('address', 'rue des Lilas', '12 rue des Lilas')).toBe(-1);
    // A move: two different addresses, neither is fuller (the newest will win).
    expect(fullerOf('address', '8 place Bellecour', '3 avenue Jean Jaurès')).toBe(0);
    expect(fullerOf('text', 'Hélène', 'HELENE')).toBe(1);
    expect(fullestIndex('address', ['3 av. Jean-Jaurès', '3 avenue Jean Jaurès'])).toBe(1);
    expect(fullestIndex('address', ['8 place Bellecour', '3 avenue Jean Jaurès'])).toBe(0);
  });

  function twoRecords() {
    const { ctx, setNow } = clockCtx('2025-01-01T09:00:00.000Z', engine);
    const old = addCustomer(ctx, { firstName: 'Jean-Pierre', lastName: 'Dupont', addressLine1: '3 avenue Jean Jaurès', postalCode: '75011', city: 'Paris', email: 'jp.dupont@gmail.com' }).customer;
    setNow('2025-06-01T09:00:00.000Z');
    const recent = addCustomer(ctx, { firstName: 'J.-P.', lastName: 'DUPONT', addressLine1: '3 av. Jean-Jaurès', postalCode: '75011', city: 'PARIS', email: 'jp.dupont@gmail.com' }).customer;
    setNow('2025-09-01T09:00:00.000Z');
    return { ctx, setNow, old, recent };
  }

  it('keeps Jean-Pierre and the unabbreviated address over the newer J.-P. and av.', () => {
    const { ctx, old, recent } = twoRecords();
    mergeCustomers(ctx, { ids: [old.id, recent.id], decidedBy: 'person' });
    const kept = ctx.store.customers.get(old.id);
    expect(kept?.firstName).toBe('Jean-Pierre');
    expect(kept?.lastName).toBe('Dupont');
    expect(kept?.addressLine1).toBe('3 avenue Jean Jaurès');
    expect(kept?.city).toBe('Paris');
  });

  it('highlights the fuller value as the default in the review', () => {
    const { ctx, old, recent } = twoRecords();
    const d = clusterDetail(ctx, [old.id, recent.id]);
    const first = d.fields.find((f) => f.field === 'first_name');
    const address = d.fields.find((f) => f.field === 'address_line1');
    expect(first?.values[first.keeps]).toBe('Jean-Pierre');
    expect(address?.values[address.keeps]).toBe('3 avenue Jean Jaurès');
  });

  it('does the same in --auto', async () => {
    const { ctx, old } = twoRecords();
    const res = await autoMerge(ctx, { threshold: 0.5 });
    expect(res.merges).toHaveLength(1);
    const kept = ctx.store.customers.get(old.id);
    expect(kept?.firstName).toBe('Jean-Pierre');
    expect(kept?.addressLine1).toBe('3 avenue Jean Jaurès');
  });

  it('still takes the newest of two different values (a move)', () => {
    const { ctx, setNow } = clockCtx('2025-01-01T09:00:00.000Z', engine);
    const a = addCustomer(ctx, { firstName: 'Marie', lastName: 'Curie', addressLine1: '3 avenue Jean Jaurès', postalCode: '75011', city: 'Paris' }).customer;
    setNow('2025-06-01T09:00:00.000Z');
    const b = addCustomer(ctx, { firstName: 'Marie', lastName: 'Curie', addressLine1: '8 place Bellecour', postalCode: '69002', city: 'Lyon' }).customer;
    mergeCustomers(ctx, { ids: [a.id, b.id], decidedBy: 'person' });
    expect(ctx.store.customers.get(a.id)?.addressLine1).toBe('8 place Bellecour');
  });
});
