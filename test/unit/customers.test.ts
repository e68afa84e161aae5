import { expect, it } from 'vitest';
import { addCustomer, editCustomer } from '../../src/core/customers/add.js';
import { addContact, addSale, logInteraction } from '../../src/core/customers/activity.js';
import { listCustomers, searchCustomers } from '../../src/core/customers/list.js';
import { findByRef, resolveRef } from '../../src/core/customers/ref.js';
import { showCustomer } from '../../src/core/customers/show.js';
import { tagCustomer, untagCustomer } from '../../src/core/customers/tags.js';
import { AppError, ValidationError } from '../../src/core/errors.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

forEachEngine('customer services', (engine) => {
  it('normalises on add and records an audit entry without personal data', () => {
    const ctx = memoryCtx(engine);
    const { customer } = addCustomer(ctx, { firstName: ' Élodie ', lastName: 'Meyer', email: ' Elodie.Meyer@SFR.fr ', phone: '06 12 34 56 78' });
    expect(customer.firstName).toBe('Élodie');
    expect(customer.emailNorm).toBe('elodie.meyer@sfr.fr');
    expect(customer.phoneE164).toBe('+33612345678');
    expect(customer.kind).toBe('person');
    expect(customer.createdAt).toBe('2026-11-23T10:00:00.000Z');
    const audit = ctx.store.audit.list();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.subject).toBe(customer.uid);
    expect(JSON.stringify(audit)).not.toMatch(/meyer|elodie|0612/i);
  });

  it('warns of an existing file with the same e-mail instead of refusing', () => {
    const ctx = memoryCtx(engine);
    addCustomer(ctx, { lastName: 'Meyer', email: 'e.meyer@sfr.fr' });
    const second = addCustomer(ctx, { lastName: 'Meyer', firstName: 'E.', email: 'E.Meyer@sfr.fr' });
    expect(second.similar).toHaveLength(1);
  });

  it('refuses an invalid value naming the field, and writes nothing', () => {
    const ctx = memoryCtx(engine);
    expect(() => addCustomer(ctx, { lastName: 'X', phone: '12' })).toThrow(ValidationError);
    expect(() => addCustomer(ctx, {})).toThrow(/needs a name/);
    expect(ctx.store.customers.count()).toBe(0);
  });

  it('rectifies with edit: audited with field names only, unchanged values not counted', () => {
    const ctx = memoryCtx(engine);
    const { customer } = addCustomer(ctx, { lastName: 'Meyer', city: 'Lyon' });
    const res = editCustomer(ctx, String(customer.id), ['city=Lyon', 'email=Elodie@Example.FR', 'extra.Taille=M']);
    expect(res.changed.sort()).toEqual(['email', 'extra']);
    const after = resolveRef(ctx, 'elodie@example.fr');
    expect(after.emailNorm).toBe('elodie@example.fr');
    expect(after.extra).toEqual({ Taille: 'M' });
    const rect = ctx.store.audit.list({ action: 'customer.rectify' });
    expect(rect[0]!.details).toEqual({ fields: ['email', 'extra'] });
    expect(() => editCustomer(ctx, String(customer.id), ['last_name=', 'email='])).toThrow(/needs a name/);
    expect(() => editCustomer(ctx, String(customer.id), ['shoe=42'])).toThrow(AppError);
  });

  it('resolves a REF by id, uid, e-mail, contact e-mail, phone and SIRET; ambiguity is exit 4', () => {
    const ctx = memoryCtx(engine);
    const co = addCustomer(ctx, { companyName: 'Boulangerie Martin', siret: '732 829 320 00074', phone: '04 78 00 12 34' }).customer;
    addContact(ctx, String(co.id), { firstName: 'Paul', email: 'compta@martin.fr' });
    expect(resolveRef(ctx, String(co.id)).id).toBe(co.id);
    expect(resolveRef(ctx, co.uid).id).toBe(co.id);
    expect(resolveRef(ctx, 'COMPTA@martin.fr').id).toBe(co.id);
    expect(resolveRef(ctx, '+33 4 78 00 12 34').id).toBe(co.id);
    expect(resolveRef(ctx, '732829320').id).toBe(co.id);
    // An external id (an imported file's Réf) in any namespace, once nothing else matches.
    const shop = addCustomer(ctx, { lastName: 'Ext', externalId: 'C042', externalSource: 'shop' }).customer;
    const plain = addCustomer(ctx, { lastName: 'Plain', externalId: 'C043' }).customer;
    expect(resolveRef(ctx, 'C042').id).toBe(shop.id);
    expect(resolveRef(ctx, 'C043').id).toBe(plain.id);
    expect(findByRef(ctx, 'C044')).toHaveLength(0);
    addCustomer(ctx, { lastName: 'Other', phone: '0478001234' });
    expect(findByRef(ctx, '04.78.00.12.34')).toHaveLength(2);
    try {
      resolveRef(ctx, '04.78.00.12.34');
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).exitCode).toBe(4);
      expect((e as AppError).details?.candidates).toHaveLength(2);
    }
  });

  it('moves last_contact_at forward only, for incoming contacts', () => {
    const ctx = memoryCtx(engine);
    const c = addCustomer(ctx, { lastName: 'Meyer' }).customer;
    logInteraction(ctx, c.uid, { kind: 'call', direction: 'in', at: '2026-05-01' });
    logInteraction(ctx, c.uid, { kind: 'email', direction: 'out', at: '2026-06-01' });
    logInteraction(ctx, c.uid, { kind: 'meeting', direction: 'in', at: '2026-01-01' });
    expect(resolveRef(ctx, c.uid).lastContactAt).toBe('2026-05-01T00:00:00.000Z');
    expect(() => logInteraction(ctx, c.uid, { kind: 'call', direction: 'in', at: '2030-01-01' })).toThrow(/future/);
  });

  it('records sales and shows everything about a customer', () => {
    const ctx = memoryCtx(engine);
    const c = addCustomer(ctx, { lastName: 'Meyer' }).customer;
    const s = addSale(ctx, c.uid, { kind: 'invoice', number: 'F-1', amount: '1 200,50 €', status: 'paid', issued: '15/01/2026', due: '2026-02-15' });
    expect(s.amountCents).toBe(120050);
    expect(s.issuedOn).toBe('2026-01-15');
    expect(() => addSale(ctx, c.uid, { kind: 'invoice', number: 'F-1', amount: '1', status: '' })).toThrow(/already exists/);
    expect(() => addSale(ctx, c.uid, { kind: 'invoice', amount: '1', status: 'maybe' })).toThrow(/--status/);
    tagCustomer(ctx, c.uid, ['VIP']);
    const d = showCustomer(ctx, c.uid);
    expect(d.sales).toHaveLength(1);
    expect(d.categories).toEqual([{ name: 'VIP', assignedBy: 'manual' }]);
    expect(untagCustomer(ctx, c.uid, ['vip']).removed).toEqual(['VIP']);
  });

  it('searches accent- and case-insensitively and keeps the index in sync on edit and delete', () => {
    const ctx = memoryCtx(engine);
    const c = addCustomer(ctx, { firstName: 'Hélène', lastName: 'Lefèvre', city: 'Marseille' }).customer;
    expect(searchCustomers(ctx, 'helene').map((x) => x.id)).toEqual([c.id]);
    expect(searchCustomers(ctx, 'LEFEV')).toHaveLength(1);
    editCustomer(ctx, c.uid, ['last_name=Martin']);
    expect(searchCustomers(ctx, 'lefevre')).toHaveLength(0);
    expect(searchCustomers(ctx, 'martin')).toHaveLength(1);
    ctx.store.tx(() => ctx.store.customers.delete(c.id));
    expect(searchCustomers(ctx, 'martin')).toHaveLength(0);
    expect(() => searchCustomers(ctx, '  "" ')).toThrow(/nothing to search/);
  });

  it('lists through the filter language and leaves archived customers out', () => {
    const ctx = memoryCtx(engine);
    const a = addCustomer(ctx, { lastName: 'A', city: 'Lyon', postalCode: '69003' }).customer;
    addCustomer(ctx, { lastName: 'B', city: 'Paris', postalCode: '75011' });
    const ids = (where: string) => [...listCustomers(ctx, { where }).rows].map((r) => r.id);
    expect(ids('department = "69"')).toEqual([a.id]);
    ctx.store.tx(() => ctx.store.customers.setMarker(a.id, 'archived_at', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'));
    expect(ids('department = "69"')).toEqual([]);
    expect(() => listCustomers(ctx, { sort: ['shoe'] })).toThrow(/cannot sort/);
  });
});
