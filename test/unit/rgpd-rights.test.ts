import { expect, it } from 'vitest';
import { addCustomer } from '../../src/core/customers/add.js';
import { UsageError, ValidationError } from '../../src/core/errors.js';
import { consentOn } from '../../src/core/rgpd/consent-state.js';
import { auditLog } from '../../src/core/rgpd/log.js';
import { buildRegister } from '../../src/core/rgpd/register.js';
import { renderRegisterMarkdown } from '../../src/core/rgpd/register-markdown.js';
import { optout, recordConsent, setRestriction } from '../../src/core/rgpd/rights.js';
import { suppressedChannels, suppressionChecker } from '../../src/core/rgpd/suppression.js';
import { clockCtx, memoryCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';

forEachEngine('rgpd opposition, consent and restriction', (engine) => {
  it('records an opposition per channel as consent rows and suppression hashes, and it wins over a later consent', () => {
    const ctx = memoryCtx(engine);
    const c = addCustomer(ctx, { lastName: 'Opposé', email: 'oppose@ex.fr', mobile: '06 44 44 44 44' }).customer;
    const r = optout(ctx, c.uid, { channel: 'sms', source: 'STOP SMS' });
    expect(r).toMatchObject({ channels: ['sms'], suppressed: 2 });
    expect(suppressedChannels(ctx.store, { emailNorm: 'oppose@ex.fr' })).toEqual(new Set(['sms']));
    const later = recordConsent(ctx, c.uid, { channel: 'all', state: 'granted', source: 'formulaire', proof: 'form#1' });
    expect(later.channels).toEqual(['email', 'sms', 'phone', 'post']);
    expect(later.opposed).toEqual(['sms']);
    const consents = ctx.store.consents.forCustomer(c.id);
    expect(consentOn(consents, new Set(), 'email')).toBe('granted');
    expect(consentOn(consents, new Set(), 'sms')).toBe('opposed');
    expect(consentOn(consents, new Set(['all']), 'post')).toBe('opposed');
    expect(consentOn([], new Set(), 'email')).toBeNull();
    // The latest state is the marketing one (what export reads); another purpose does not re-grant it.
    const row = (id: number, purpose: string, state: 'granted' | 'withdrawn', recordedAt: string) =>
      ({ id, customerId: 1, channel: 'email' as const, purpose, state, source: 's', proof: null, recordedAt });
    const mixed = [row(1, 'marketing', 'withdrawn', '2026-01-01'), row(2, 'satisfaction survey', 'granted', '2026-02-01')];
    expect(consentOn(mixed, new Set(), 'email')).toBe('withdrawn');
    expect(consentOn(mixed, new Set(), 'email', 'satisfaction survey')).toBe('granted');
    expect(optout(ctx, c.uid, {}).channels).toEqual(['email', 'sms', 'phone', 'post']);
    expect(suppressedChannels(ctx.store, { phoneE164: '+33644444444' })).toEqual(new Set(['sms', 'all']));
    // An opposed person in a purchased file is stopped at import.
    expect(suppressionChecker(ctx.store)({ emailNorm: 'oppose@ex.fr' })).toMatchObject({ suppressed: true });
    const audit = JSON.stringify(auditLog(ctx, { action: 'rgpd' }));
    expect(audit).not.toMatch(/oppose@|0644/);
  });

  it('an objection by a contact person suppresses their identifiers, not the company', () => {
    const ctx = memoryCtx(engine);
    const co = addCustomer(ctx, { kind: 'company', companyName: 'Garage Roux', email: 'garage@roux.fr' }).customer;
    ctx.store.contacts.insert({ customerId: co.id, civility: null, firstName: 'Léa', lastName: 'Roux', role: null, email: 'lea@roux.fr', emailNorm: 'lea@roux.fr', phone: null, phoneE164: null, notes: null }, '2026-01-01');
    const r = optout(ctx, 'lea@roux.fr', { channel: 'email' });
    expect(r.contactId).not.toBeNull();
    expect(ctx.store.consents.forCustomer(co.id)).toEqual([]);
    expect(suppressedChannels(ctx.store, { emailNorm: 'lea@roux.fr' })).toEqual(new Set(['email']));
    expect(suppressedChannels(ctx.store, { emailNorm: 'garage@roux.fr' })).toEqual(new Set());
  });

  it('keeps the latest consent state, with its date, source and proof; validates input', () => {
    const { ctx, setNow } = clockCtx('2026-01-01T10:00:00.000Z', engine);
    const c = addCustomer(ctx, { lastName: 'Consent', email: 'c@ex.fr' }).customer;
    recordConsent(ctx, c.uid, { channel: 'email', state: 'granted', source: 'salon', at: '15/12/2025' });
    setNow('2026-02-01T10:00:00.000Z');
    recordConsent(ctx, c.uid, { channel: 'email', state: 'withdrawn', source: 'lien de désinscription' });
    const rows = ctx.store.consents.forCustomer(c.id);
    expect(rows.map((x) => [x.state, x.recordedAt.slice(0, 10), x.source])).toEqual([
      ['granted', '2025-12-15', 'salon'],
      ['withdrawn', '2026-02-01', 'lien de désinscription'],
    ]);
    expect(consentOn(rows, new Set(), 'email')).toBe('withdrawn');
    expect(() => recordConsent(ctx, c.uid, { channel: 'fax', state: 'granted', source: 's' })).toThrow(UsageError);
    expect(() => recordConsent(ctx, c.uid, { channel: 'email', state: 'granted', source: ' ' })).toThrow(/--source is required/);
    expect(() => recordConsent(ctx, c.uid, { channel: 'email', state: 'granted', source: 's', at: '2030-01-01' })).toThrow(ValidationError);
  });

  it('restricts and lifts, audited once per change with the ground', () => {
    const ctx = memoryCtx(engine);
    const c = addCustomer(ctx, { lastName: 'Limité', email: 'l@ex.fr' }).customer;
    expect(setRestriction(ctx, c.uid, true, 'accuracy')).toMatchObject({ restricted: true, changed: true });
    expect(ctx.store.customers.get(c.id)?.restrictedAt).toBe('2026-11-23T10:00:00.000Z');
    expect(setRestriction(ctx, c.uid, true).changed).toBe(false);
    expect(setRestriction(ctx, c.uid, false)).toMatchObject({ restricted: false, changed: true });
    expect(ctx.store.customers.get(c.id)?.restrictedAt).toBeNull();
    expect(() => setRestriction(ctx, c.uid, true, 'because')).toThrow(UsageError);
    expect(auditLog(ctx, { action: 'rgpd' }).map((e) => [e.action, e.details])).toEqual([
      ['rgpd.unrestrict', {}],
      ['rgpd.restrict', { ground: 'accuracy' }],
    ]);
    expect(auditLog(ctx, { action: 'rgpd.restrict', since: '1d' })).toHaveLength(1);
    expect(auditLog(ctx, { since: '2027-01-01' })).toHaveLength(0);
  });
});

forEachEngine('rgpd register', (engine) => {
  it('counts what the file holds, lists exports as recipients and flags what to review', () => {
    const ctx = memoryCtx(engine);
    addCustomer(ctx, { lastName: 'A', email: 'a@ex.fr', birthDate: '2015-06-01', notes: 'n' });
    addCustomer(ctx, { kind: 'company', companyName: 'B SARL', siret: '732 829 320 00074', source: 'Salon' });
    const at = '2026-11-01T00:00:00.000Z';
    ctx.store.audit.record({ at, action: 'export', details: { preset: 'mailchimp', rows: 120, for: 'marketing:email' } });
    ctx.store.audit.record({ at, action: 'export.file', details: { format: 'csv', rows: 3 } });
    const d = buildRegister(ctx);
    expect(d.people).toMatchObject({ total: 2, persons: 1, companies: 1, prospects: 2, clients: 0, with_birth_date: 1, under_15: 1 });
    const identity = d.data_categories.find((c) => c.category === 'Identity')!;
    expect(identity.fields).toContainEqual({ field: 'birth_date', rows: 1 });
    expect(d.recipients.map((r) => [r.recipient.split(' ')[0], r.exports, r.rows, r.outside_eu])).toEqual([
      ['Mailchimp', 1, 120, true],
      ['csv', 1, 3, null],
    ]);
    expect(d.sources).toContainEqual({ source: 'Salon', rows: 1 });
    expect(d.warnings.join('\n')).toMatch(/controller is not named[\s\S]*birth date[\s\S]*under 15[\s\S]*outside the EU/);
    const md = renderRegisterMarkdown(d);
    expect(md).toMatch(/^# Record of processing activities \(RGPD art\. 30\)/);
    expect(md).toContain('birth_date (1)');
    expect(md).toContain('| Salon | 1 |');
    if (engine === 'sqlite') {
      expect(md).toContain('secure_delete): yes');
      expect(md).toContain('WAL checkpointed');
    } else {
      // A server's register says what carnet cannot reach there, not SQLite's file measures.
      expect(md).not.toContain('WAL checkpointed');
      expect(md).toMatch(/not reachable by carnet on the server: the server's WAL archives/);
      expect(md).toMatch(/pg_stat_statements/);
    }
    expect(md).not.toContain('a@ex.fr');
  });
});
