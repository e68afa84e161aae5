import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { findDuplicates } from '../../src/core/dedupe/find.js';
import { addIdentifier, identifierValue, listIdentifiers, removeIdentifier } from '../../src/core/dedupe/identifiers.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

const pairs = (ctx: ReturnType<typeof memoryCtx>) => findDuplicates(ctx).clusters.map((c) => c.members.map((m) => m.id));

forEachEngine('identifiers of the user’s own', (engine) => {
  it('reads a built-in field or an extra key, whatever its case and punctuation', () => {
    const src = { column: (f: string) => (f === 'vat_number' ? 'FR 12 345' : null), extra: { 'N° adhérent': 'A-0042' } };
    expect(identifierValue({ name: 'vat_number', field: 'vat_number' }, src)).toBe('fr12345');
    expect(identifierValue({ name: 'n adherent', field: null }, src)).toBe('a0042');
    expect(identifierValue({ name: 'other', field: null }, src)).toBe('');
  });

  it('declares, lists and removes; a built-in name is recognised', () => {
    const ctx = memoryCtx(engine);
    expect(addIdentifier(ctx, 'N° adhérent')).toEqual({ name: 'N° adhérent', field: null });
    expect(addIdentifier(ctx, 'VAT number')).toEqual({ name: 'VAT number', field: 'vat_number' });
    expect(addIdentifier(ctx, 'n° ADHÉRENT').name).toBe('N° adhérent');
    expect(listIdentifiers(ctx).map((d) => d.name)).toEqual(['N° adhérent', 'VAT number']);
    removeIdentifier(ctx, 'n adherent');
    expect(listIdentifiers(ctx).map((d) => d.name)).toEqual(['VAT number']);
    expect(() => removeIdentifier(ctx, 'nope')).toThrow(/not a declared identifier/);
  });

  it('different values keep two look-alikes apart, equal values count strongly for a match', () => {
    const ctx = memoryCtx(engine);
    // Two members with one name at one address (father and son), and one member written twice with a new e-mail.
    const a = addCustomer(ctx, { firstName: 'Jean', lastName: 'Martin', addressLine1: '3 rue des Lilas', postalCode: '69003', city: 'Lyon', extra: { 'N° adhérent': 'A-001' } }).customer;
    const b = addCustomer(ctx, { firstName: 'Jean', lastName: 'Martin', addressLine1: '3 rue des Lilas', postalCode: '69003', city: 'Lyon', extra: { 'N° adhérent': 'A-002' } }).customer;
    const c = addCustomer(ctx, { firstName: 'Sophie', lastName: 'Durand', city: 'Lyon', email: 'sophie.durand@free.fr', extra: { 'N° adhérent': 'B-777' } }).customer;
    const d = addCustomer(ctx, { firstName: 'S.', lastName: 'Durand', city: 'Lyon', email: 'sdurand@orange.fr', extra: { 'N° adhérent': 'B 777' } }).customer;
    for (let k = 0; k < 12; k++) addCustomer(ctx, { firstName: `P${k}`, lastName: `Filler${k}`, city: 'Paris', extra: { 'N° adhérent': `Z-${k}` } });
    const before = pairs(ctx);
    expect(before).toContainEqual([a.id, b.id]);
    addIdentifier(ctx, 'N° adhérent');
    const after = findDuplicates(ctx, { explain: true, threshold: 0.5 }).clusters;
    expect(after.map((x) => x.members.map((m) => m.id))).not.toContainEqual([a.id, b.id]);
    const cd = after.find((x) => x.members.some((m) => m.id === c.id))?.pairs?.find((p) => p.a === c.id && p.b === d.id);
    expect(cd?.fields.find((f) => f.field === 'identifier N° adhérent')).toMatchObject({ level: 'same' });
    expect(cd?.fields.find((f) => f.field === 'identifier N° adhérent')?.weight).toBeGreaterThan(9);
    expect(pairs(ctx)).toContainEqual([c.id, d.id]);
  });
});
