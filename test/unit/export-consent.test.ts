import { it, expect } from 'vitest';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';
import { optout } from '../../src/core/rgpd/rights.js';
import { exportRepo, parseFor } from '../../src/core/export/index.js';
import { add, consent, exportText, lines } from './export-fixtures.js';

const T1 = '2026-01-10T09:00:00.000Z';
const T2 = '2026-03-10T09:00:00.000Z';

/** One customer per rule, named after the outcome expected with --for marketing:email. */
function scenario(engine: TestEngine) {
  const ctx = memoryCtx(engine);
  const id = (last: string, extra: Record<string, string> = {}) => add(ctx, { lastName: last, email: `${last.toLowerCase()}@ex.fr`, ...extra });
  const granted = id('Granted');
  consent(ctx, granted, 'email', 'granted', T1);
  id('NoConsent');
  const withdrawn = id('Withdrawn');
  consent(ctx, withdrawn, 'email', 'granted', T1);
  consent(ctx, withdrawn, 'email', 'withdrawn', T2);
  const regranted = id('Regranted');
  consent(ctx, regranted, 'email', 'withdrawn', T1);
  consent(ctx, regranted, 'email', 'granted', T2);
  const opposedThenGranted = id('OpposedThenGranted');
  consent(ctx, opposedThenGranted, 'email', 'opposed', T1);
  consent(ctx, opposedThenGranted, 'email', 'granted', T2); // opposition wins whatever the dates
  const refused = id('Refused');
  consent(ctx, refused, 'email', 'refused', T2);
  const otherChannel = id('SmsOnly');
  consent(ctx, otherChannel, 'sms', 'granted', T1);
  const otherPurpose = id('OtherPurpose');
  consent(ctx, otherPurpose, 'email', 'granted', T1, 'surveys');
  const b2b = add(ctx, { kind: 'company', companyName: 'ACME SAS', email: 'contact@acme.fr' });
  const b2bOpposed = add(ctx, { kind: 'company', companyName: 'Opposée SARL', email: 'contact@opposee.fr' });
  consent(ctx, b2bOpposed, 'email', 'opposed', T1);
  const restricted = id('Restricted');
  consent(ctx, restricted, 'email', 'granted', T1);
  ctx.store.customers.setMarker(restricted, 'restricted_at', T2, T2);
  const archived = id('Archived');
  consent(ctx, archived, 'email', 'granted', T1);
  ctx.store.customers.setMarker(archived, 'archived_at', T2, T2);
  const noEmail = add(ctx, { lastName: 'NoEmail', mobile: '06 12 34 56 78' });
  consent(ctx, noEmail, 'email', 'granted', T1);
  const smsOpposed = id('SmsOpposed');
  consent(ctx, smsOpposed, 'email', 'granted', T1);
  consent(ctx, smsOpposed, 'sms', 'opposed', T1);
  // An opposed person (hash on the suppression list) and a second file of theirs that dedupe has not merged.
  const opposedPerson = id('Original');
  optout(ctx, String(opposedPerson), { channel: 'email' });
  const duplicate = add(ctx, { lastName: 'Duplicate', email: 'ORIGINAL@ex.fr' });
  consent(ctx, duplicate, 'email', 'granted', T2);
  return ctx;
}

forEachEngine('export --for marketing:email', (engine) => {
  it('keeps exactly those who may receive e-mail and counts the others by reason', async () => {
    const ctx = scenario(engine);
    const { text, result } = await exportText(ctx, { for: 'marketing:email', columns: ['name', 'email'] });
    const names = lines(text).slice(1).map((l) => l.split(',')[0]);
    expect(names).toEqual(['Granted', 'Regranted', 'ACME SAS', 'SmsOpposed']);
    expect(result.leftOut).toEqual({
      no_consent: 3, // NoConsent, SmsOnly, OtherPurpose
      withdrawn: 1,
      opposed: 3, // OpposedThenGranted, Opposée SARL, Original
      refused: 1,
      restricted: 1,
      archived: 1,
      no_email: 1,
      suppressed: 1,
    });
    expect(result.leftOutTotal).toBe(12);
    expect(result.exported).toBe(4);
  });

  it('never lets an opted-out or restricted person through, and a B2B company through without consent', async () => {
    const ctx = memoryCtx(engine);
    const optedOut = add(ctx, { firstName: 'Paul', lastName: 'Refus', email: 'paul@ex.fr' });
    consent(ctx, optedOut, 'email', 'granted', T1);
    optout(ctx, 'paul@ex.fr', { channel: 'all' });
    const restricted = add(ctx, { firstName: 'Rita', lastName: 'Restreinte', email: 'rita@ex.fr' });
    consent(ctx, restricted, 'email', 'granted', T1);
    ctx.store.customers.setMarker(restricted, 'restricted_at', T2, T2);
    add(ctx, { firstName: 'Bea', lastName: 'SansConsentement', email: 'bea@ex.fr' });
    add(ctx, { kind: 'company', companyName: 'Boulangerie Martin', email: 'contact@boulangerie.fr' });
    for (const preset of [undefined, 'brevo', 'mailchimp'] as const) {
      const { text } = await exportText(ctx, { for: 'marketing:email', preset });
      expect(text).not.toContain('paul@ex.fr');
      expect(text).not.toContain('rita@ex.fr');
      expect(text).not.toContain('bea@ex.fr');
      expect(text).toContain('contact@boulangerie.fr');
    }
  });

  it('channels: sms needs a mobile (or a mobile in the phone field), post an address, each its own consent', async () => {
    const ctx = memoryCtx(engine);
    const a = add(ctx, { lastName: 'Mobile', mobile: '07 11 22 33 44' });
    const b = add(ctx, { lastName: 'PhoneIsMobile', phone: '06 98 76 54 32' });
    const c = add(ctx, { lastName: 'Landline', phone: '04 78 00 12 34' });
    const d = add(ctx, { lastName: 'Letter', addressLine1: '3 rue Neuve', postalCode: '69001', city: 'Lyon' });
    for (const id of [a, b, c, d]) for (const ch of ['sms', 'post'] as const) consent(ctx, id, ch, 'granted', T1);
    const sms = await exportText(ctx, { for: 'marketing:sms', preset: 'brevo' });
    expect(lines(sms.text)).toEqual(['EMAIL;FIRSTNAME;LASTNAME;SMS', ';;Mobile;+33711223344', ';;PhoneIsMobile;+33698765432']);
    expect(sms.result.leftOut).toEqual({ no_mobile: 2 });
    const post = await exportText(ctx, { for: 'marketing:post', columns: ['last_name', 'address_line1', 'city', 'phone'] });
    expect(lines(post.text)).toEqual(['last_name,address_line1,city,phone', 'Letter,3 rue Neuve,Lyon,']);
    expect(post.result.withheldColumns).toEqual(['phone']);
  });

  it('with two channels keeps whoever may be reached on either, emptying the data of the other', async () => {
    const ctx = memoryCtx(engine);
    const both = add(ctx, { lastName: 'Both', email: 'both@ex.fr', mobile: '06 00 00 00 01' });
    consent(ctx, both, 'email', 'granted', T1);
    consent(ctx, both, 'sms', 'granted', T1);
    const mailOnly = add(ctx, { lastName: 'MailOnly', email: 'mail@ex.fr', mobile: '06 00 00 00 02' });
    consent(ctx, mailOnly, 'email', 'granted', T1);
    const smsOnly = add(ctx, { lastName: 'SmsOnly', email: 'sms@ex.fr', mobile: '06 00 00 00 03' });
    consent(ctx, smsOnly, 'sms', 'granted', T1);
    add(ctx, { lastName: 'Nobody', email: 'no@ex.fr', mobile: '06 00 00 00 04' });
    const { text, result } = await exportText(ctx, { for: 'marketing:email,sms', preset: 'brevo' });
    expect(lines(text)).toEqual([
      'EMAIL;FIRSTNAME;LASTNAME;SMS',
      'both@ex.fr;;Both;+33600000001',
      'mail@ex.fr;;MailOnly;',
      ';;SmsOnly;+33600000003',
    ]);
    expect(result.withheld).toEqual({ sms: 1, email: 1 });
    expect(result.leftOut).toEqual({ no_consent: 1 });
  });

  it('without --for leaves restricted and archived files out unless --include-restricted', async () => {
    const ctx = scenario(engine);
    const plain = await exportText(ctx, { columns: ['last_name'] });
    expect(plain.text).not.toContain('Restricted');
    expect(plain.text).not.toContain('Archived');
    expect(plain.result.leftOut).toEqual({ restricted: 1, archived: 1 });
    const all = await exportText(ctx, { columns: ['last_name'], includeRestricted: true });
    expect(all.text).toContain('Restricted');
    expect(all.text).toContain('Archived');
    expect(all.result.leftOutTotal).toBe(0);
  });

  it('refuses --include-restricted with --for, and unknown purposes or channels', async () => {
    const ctx = memoryCtx(engine);
    await expect(exportText(ctx, { for: 'marketing', includeRestricted: true })).rejects.toThrow(/--include-restricted/);
    expect(() => parseFor('sales')).toThrow(/purpose/);
    expect(() => parseFor('marketing:fax')).toThrow(/not a channel/);
    expect(parseFor('marketing')).toEqual(['email']);
    expect(parseFor('marketing:SMS+e-mail')).toEqual(['sms', 'email']);
  });

  it('reads consents set-based: through the consents index, in the one SELECT', () => {
    const ctx = memoryCtx(engine);
    const repo = exportRepo(ctx);
    repo.useHelpers({ isMobile: () => false, hash: (k, v) => `${k}:${v}` });
    const plan = repo.explain({
      ids: false,
      sources: ['id', 'email'],
      reasons: { kind: 'channels', channels: ['email'], suppressed: [['email']] },
      withContacts: false,
    });
    const text = plan.join('\n');
    expect(text).toMatch(/consents_customer/);
    if (engine === 'sqlite') {
      expect(text).toMatch(/SEARCH s USING (COVERING )?INDEX|SEARCH s USING PRIMARY KEY/);
      expect(text).not.toMatch(/SCAN k\b/);
    } else {
      // PostgreSQL's plan: consents never read whole (the suppressions, an empty table here, may be).
      expect(text).not.toMatch(/Seq Scan on consents/);
    }
  });
});
