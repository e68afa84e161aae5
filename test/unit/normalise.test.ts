import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import type { CustomerInput } from '../../src/core/model.js';
import {
  cleanMultilineText,
  cleanText,
  departmentOf,
  fold,
  formatCents,
  isMobileE164,
  normaliseCountry,
  normaliseCustomer,
  normaliseEmail,
  normalisePartial,
  normalisePhone,
  normalisePostalCode,
  parseAmountCents,
  parseDate,
  parseDateTime,
} from '../../src/core/normalise/index.js';

/** Asserts fn throws a ValidationError (exit code 3) that names `field`. */
function rejects(fn: () => unknown, field: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect((error as ValidationError).exitCode).toBe(3);
  expect((error as ValidationError).message).toContain(field);
}

describe('text', () => {
  it('cleanText trims, collapses every kind of space, strips controls, empties to null', () => {
    expect(cleanText('  Jean   Dupont ')).toBe('Jean Dupont');
    expect(cleanText('Jean\u00a0\u202fDupont\t')).toBe('Jean Dupont');
    expect(cleanText('Du\u0000pont\u200b')).toBe('Dupont');
    expect(cleanText('a\r\nb')).toBe('a b');
    expect(cleanText('Je\u0301ro\u0302me')).toBe('Jérôme'); // decomposed (macOS) → composed
    expect(cleanText('   ')).toBeNull();
    expect(cleanText('')).toBeNull();
    expect(cleanText(null)).toBeNull();
    expect(cleanText(undefined)).toBeNull();
  });

  it('cleanMultilineText keeps paragraphs', () => {
    expect(cleanMultilineText(' a  b \r\n\r\n\r\n c ')).toBe('a b\n\nc');
  });

  it('fold lower-cases and removes diacritics and ligatures', () => {
    expect(fold('Hélène ÇA Œuvre')).toBe('helene ca oeuvre');
    expect(fold('DUPONT')).toBe('dupont');
  });
});

describe('normaliseEmail', () => {
  it.each([
    ['Jean.Dupont@Example.FR', 'Jean.Dupont@Example.FR', 'jean.dupont@example.fr'],
    ['  jean@example.fr  ', 'jean@example.fr', 'jean@example.fr'],
    ['mailto:jean@example.fr', 'jean@example.fr', 'jean@example.fr'],
    ['MAILTO:jean@example.fr?subject=Devis', 'jean@example.fr', 'jean@example.fr'],
    ['<jean@example.fr>', 'jean@example.fr', 'jean@example.fr'],
    ['Jean Dupont <jean@example.fr>', 'jean@example.fr', 'jean@example.fr'],
    ['jean+devis@sub.example.co.uk', 'jean+devis@sub.example.co.uk', 'jean+devis@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie", "o'brien@example.ie"],
    ['jean@example.fr.', 'jean@example.fr', 'jean@example.fr'],
    ['jean@café.fr', 'jean@café.fr', 'jean@xn--caf-dma.fr'],
    ['jean@xn--caf-dma.fr', 'jean@xn--caf-dma.fr', 'jean@xn--caf-dma.fr'],
  ])('%s', (raw, email, emailNorm) => {
    expect(normaliseEmail(raw)).toEqual({ email, emailNorm });
  });

  it('empty → null', () => {
    expect(normaliseEmail('')).toBeNull();
    expect(normaliseEmail(' ')).toBeNull();
    expect(normaliseEmail(null)).toBeNull();
  });

  it.each([
    'jean',
    'jean@',
    '@example.fr',
    'jean@example',
    'jean@@example.fr',
    'jean @example.fr',
    'jean@exa mple.fr',
    'jean@example..fr',
    '.jean@example.fr',
    'jean.@example.fr',
    'jean..d@example.fr',
    'jean@-example.fr',
    'jean@example.f',
    'jean@example,fr',
    'a@x.fr; b@y.fr',
    'jean@192.168.0.1',
  ])('rejects %s', (raw) => {
    rejects(() => normaliseEmail(raw), 'email');
  });

  it('says what it rejected', () => {
    expect(() => normaliseEmail('jean@')).toThrow("'jean@' is not an e-mail address");
  });

  it('is idempotent (property)', () => {
    const local = fc.stringMatching(/^[a-zA-Z0-9_+-]{1,12}(\.[a-zA-Z0-9_+-]{1,8})?$/);
    const domain = fc.stringMatching(/^[a-zA-Z0-9]{1,10}(\.[a-zA-Z0-9]{1,10})?\.[a-zA-Z]{2,6}$/);
    const decorate = fc.constantFrom((s: string) => s, (s: string) => ` ${s} `, (s: string) => `<${s}>`, (s: string) => `mailto:${s}`);
    fc.assert(
      fc.property(local, domain, decorate, (l, d, wrap) => {
        const once = normaliseEmail(wrap(`${l}@${d}`));
        expect(once).not.toBeNull();
        expect(normaliseEmail(once?.email)).toEqual(once);
        expect(normaliseEmail(once?.emailNorm)?.emailNorm).toBe(once?.emailNorm);
      }),
    );
  });
});

describe('normalisePhone', () => {
  const mobile = { display: '06 12 34 56 78', e164: '+33612345678' };
  it.each([
    '06 12 34 56 78',
    '06.12.34.56.78',
    '06-12-34-56-78',
    '0612345678',
    '+33 6 12 34 56 78',
    '+33612345678',
    '+33 (0)6 12 34 56 78',
    '0033 6 12 34 56 78',
    '00 33 6 12 34 56 78',
    '(0)6 12 34 56 78',
    '06\u00a012\u00a034\u00a056\u00a078',
    'Tél. : 06 12 34 56 78',
    '06 12 34 56 78 poste 12',
    '06 12 34 56 78 ext. 12',
    '+33 6 12 34 56 78 x12',
  ])('%s → +33612345678', (raw) => {
    expect(normalisePhone(raw)).toEqual(mobile);
  });

  it('formats landlines, special numbers and foreign numbers', () => {
    expect(normalisePhone('01 23 45 67 89')).toEqual({ display: '01 23 45 67 89', e164: '+33123456789' });
    expect(normalisePhone('0800 12 34 56')?.e164).toBe('+33800123456');
    expect(normalisePhone('+32 2 123 45 67')).toEqual({ display: '+32 2 123 45 67', e164: '+3221234567' });
    expect(normalisePhone('+1 212 555 0100')?.e164).toBe('+12125550100');
  });

  it('gives overseas departments their own country code, written the French way', () => {
    const reunion = { display: '02 62 12 34 56', e164: '+262262123456' };
    expect(normalisePhone('0262 12 34 56')).toEqual(reunion);
    expect(normalisePhone('+262 262 12 34 56')).toEqual(reunion);
    expect(normalisePhone('06 96 12 34 56')).toEqual({ display: '06 96 12 34 56', e164: '+596696123456' });
    expect(isMobileE164('+596696123456')).toBe(true);
  });

  it('reads an overseas number the same written nationally or in E.164, as export writes it (property)', () => {
    const prefixes = ['262', '263', '269', '639', '692', '693', '590', '690', '691', '594', '694', '596', '696', '697', '508'];
    const national = fc.tuple(fc.constantFrom(...prefixes), fc.stringMatching(/^\d{6}$/)).map(([p, rest]) => `0${p}${rest}`);
    fc.assert(
      fc.property(national, (n) => {
        const read = normalisePhone(n);
        expect(read).not.toBeNull();
        expect(normalisePhone(read?.e164)).toEqual(read);
      }),
    );
    // Mayotte's 0269 8…: outside the ranges libphonenumber-js knows, but the French plan's shape: both forms let in.
    expect(normalisePhone('+262 269 82 51 61')).toEqual({ display: '02 69 82 51 61', e164: '+262269825161' });
    // A prefix under another code than its own stays the library's to judge.
    rejects(() => normalisePhone('+590 269 82 51 61'), 'phone');
  });

  it('reads national numbers in the default region', () => {
    expect(normalisePhone('02 123 45 67', 'phone', 'BE')).toEqual({ display: '+32 2 123 45 67', e164: '+3221234567' });
    rejects(() => normalisePhone('06 12 34 56 78', 'phone', 'BE'), 'phone');
    expect(normalisePhone('+33 6 12 34 56 78', 'phone', 'BE')?.e164).toBe('+33612345678');
  });

  it('empty → null', () => {
    expect(normalisePhone('')).toBeNull();
    expect(normalisePhone(null)).toBeNull();
  });

  it.each(['0612', '06 12 34 56 78 9', '6123456789', 'abc', 'pas de téléphone', '06 12 34 56 78 / 01 23 45 67 89'])(
    'rejects %s, naming the field',
    (raw) => {
      rejects(() => normalisePhone(raw, 'mobile'), 'mobile');
    },
  );

  it('the French fast path agrees with libphonenumber-js (property)', () => {
    const overseas = /^(26[239]|639|69[0-3467]|59[046]|508)/;
    const nsn = fc.stringMatching(/^[1-79]\d{8}$/).filter((n) => !overseas.test(n));
    fc.assert(
      fc.property(nsn, (n) => {
        const lib = parsePhoneNumberFromString(`0${n}`, 'FR');
        const spaced = `0${n[0]} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7)}`;
        expect(normalisePhone(spaced)).toEqual({ display: lib?.formatNational(), e164: lib?.number });
        expect(normalisePhone(`+33 ${n}`)?.e164).toBe(lib?.number);
      }),
    );
  });

  it('isMobileE164', () => {
    expect(isMobileE164('+33612345678')).toBe(true);
    expect(isMobileE164('+33712345678')).toBe(true);
    expect(isMobileE164('+33123456789')).toBe(false);
    expect(isMobileE164('+33912345678')).toBe(false);
    expect(isMobileE164('+32470123456')).toBe(true);
    expect(isMobileE164('+3221234567')).toBe(false);
    expect(isMobileE164('+262692123456')).toBe(true);
  });
});

describe('normaliseCountry', () => {
  it.each([
    ['France', 'FR'], ['fr', 'FR'], ['FRA', 'FR'], ['france ', 'FR'], ['Belgique', 'BE'], ['Belgium', 'BE'],
    ['Suisse', 'CH'], ['Switzerland', 'CH'], ['Luxembourg', 'LU'], ['Allemagne', 'DE'], ['Germany', 'DE'],
    ['Espagne', 'ES'], ['Italie', 'IT'], ['Royaume-Uni', 'GB'], ['UK', 'GB'], ['royaume uni', 'GB'],
    ['États-Unis', 'US'], ['etats unis', 'US'], ['USA', 'US'], ['Canada', 'CA'], ['Maroc', 'MA'],
    ['ALGÉRIE', 'DZ'], ['Tunisie', 'TN'], ['Sénégal', 'SN'], ["Côte d'Ivoire", 'CI'], ['cote d’ivoire', 'CI'],
    ['Monaco', 'MC'], ['Pays-Bas', 'NL'], ['Portugal', 'PT'], ['La Réunion', 'RE'],
    ['Japon', 'JP'], ['Kenya', 'KE'], ['Nouvelle-Zélande', 'NZ'], ['Ouzbékistan', 'UZ'],
  ])('%s → %s', (raw, code) => {
    expect(normaliseCountry(raw)).toBe(code);
  });

  it('empty → null; unknown → ValidationError', () => {
    expect(normaliseCountry('')).toBeNull();
    expect(normaliseCountry(null)).toBeNull();
    rejects(() => normaliseCountry('Atlantide'), 'country');
    rejects(() => normaliseCountry('EU'), 'country');
  });
});

describe('parseDate', () => {
  it.each([
    ['03/01/2024', '2024-01-03'], ['3/1/2024', '2024-01-03'], ['03-01-2024', '2024-01-03'], ['03.01.2024', '2024-01-03'],
    ['3/1/85', '1985-01-03'], ['3/1/05', '2005-01-03'], ['2024-01-03', '2024-01-03'], ['2024-01-03T22:30:00Z', '2024-01-03'],
    ['2024-01-03 10:00', '2024-01-03'], ['03/01/2024 14:30', '2024-01-03'], ['20240103', '2024-01-03'], ['03012024', '2024-01-03'],
    ['45292', '2024-01-01'], ['3 janvier 2024', '2024-01-03'], ['3 janv. 2024', '2024-01-03'], ['1er février 2024', '2024-02-01'],
    ['lundi 3 juin 2024', '2024-06-03'], ['3 Août 2024', '2024-08-03'], ['29/02/2024', '2024-02-29'], ['March 3, 2024', '2024-03-03'],
  ])('%s → %s', (raw, iso) => {
    expect(parseDate(raw, 'birth_date')).toBe(iso);
  });

  it.each(['31/02/2024', '29/02/2023', '2024-13-01', '00/01/2024', '12/31/2024', '32 janvier 2024', 'demain', '12345', '3 blabla 2024', '03/01/2024 ou après', '20241301'])(
    'rejects %s, naming the field',
    (raw) => {
      rejects(() => parseDate(raw, 'birth_date'), 'birth_date');
    },
  );

  it('empty → null', () => {
    expect(parseDate('', 'birth_date')).toBeNull();
  });
});

describe('parseDateTime', () => {
  it('bare dates are midnight UTC; zones are honoured', () => {
    expect(parseDateTime('03/01/2024', 'at')).toBe('2024-01-03T00:00:00.000Z');
    expect(parseDateTime('2024-01-03T10:20:30Z', 'at')).toBe('2024-01-03T10:20:30.000Z');
    expect(parseDateTime('2024-01-03T10:20:30.5+02:00', 'at')).toBe('2024-01-03T08:20:30.500Z');
    expect(parseDateTime('2024-01-03 23:30-0500', 'at')).toBe('2024-01-04T04:30:00.000Z');
  });

  it('a time without a zone is local time', () => {
    expect(parseDateTime('03/01/2024 14:30', 'at')).toBe(new Date(2024, 0, 3, 14, 30).toISOString());
    expect(parseDateTime('3 janvier 2024 à 14h30', 'at')).toBe(new Date(2024, 0, 3, 14, 30).toISOString());
    expect(parseDateTime('03/01/2024 9h', 'at')).toBe(new Date(2024, 0, 3, 9, 0).toISOString());
  });

  it('rejects impossible times', () => {
    rejects(() => parseDateTime('03/01/2024 25:00', 'occurred_at'), 'occurred_at');
    rejects(() => parseDateTime('31/04/2024 10:00', 'occurred_at'), 'occurred_at');
  });
});

describe('parseAmountCents', () => {
  it.each([
    ['1200.50', 120050], ['1200,50', 120050], ['1200,5', 120050], ['1 200,50', 120050], ['1\u00a0200,50', 120050],
    ['1\u202f200,50', 120050], ['1.200,50', 120050], ['1,200.50', 120050], ['€ 1200', 120000], ['1200 €', 120000],
    ['1200€', 120000], ['1200EUR', 120000], ['1 200 euros', 120000], ['-50', -5000], ['- 50 €', -5000], ['-€50', -5000],
    ['(50,00)', -5000], ['+12', 1200], ['\u221212,30', -1230], ['0', 0], ['-0', 0], ['0,05', 5], ['.5', 50],
    ['1.234.567,89', 123456789], ['1,234,567', 123456700], ['1 234 567', 123456700], ['1200.500', 120050], ["1'200.50", 120050],
  ])('%s → %i', (raw, cents) => {
    expect(parseAmountCents(raw)).toBe(cents);
  });

  it.each(['', 'abc', '1,200', '1.200', '12,505', '1 20,50', '1.2.3,4', '12 50', '1,2.3', '100 USD', '--5', '1200.', '1.200,50,3'])(
    'rejects %j, naming the field',
    (raw) => {
      rejects(() => parseAmountCents(raw, 'amount'), 'amount');
    },
  );

  it('round-trips formatted amounts (property)', () => {
    const styles = [
      (c: number) => formatCents(c),
      (c: number) => formatCents(c).replace(/\u202f/g, ' '),
      (c: number) => formatCents(c).replace(/\u202f/g, '.'),
      (c: number) => formatCents(c).replace(/\u202f/g, ',').replace(/,(\d\d)$/, '.$1'),
      (c: number) => `${formatCents(c)} €`,
      (c: number) => (c / 100).toFixed(2),
    ];
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom(...styles), (cents, style) => {
        expect(parseAmountCents(style(cents))).toBe(cents);
      }),
      { numRuns: 500 },
    );
  });
});

describe('postal codes', () => {
  it('pads and checks French codes', () => {
    expect(normalisePostalCode('75011', 'FR')).toBe('75011');
    expect(normalisePostalCode('1000', 'FR')).toBe('01000');
    expect(normalisePostalCode(' 75 011 ', 'FR')).toBe('75011');
    expect(normalisePostalCode('F-75011', 'FR')).toBe('75011');
    expect(normalisePostalCode('97400', 'RE')).toBe('97400');
    rejects(() => normalisePostalCode('750', 'FR'), 'postal_code');
    rejects(() => normalisePostalCode('ABCDE', 'FR'), 'postal_code');
  });

  it('keeps other countries as typed', () => {
    expect(normalisePostalCode(' 1000 ', 'BE')).toBe('1000');
    expect(normalisePostalCode('SW1A 1AA', 'GB')).toBe('SW1A 1AA');
    expect(normalisePostalCode('1000', null)).toBe('1000');
    expect(normalisePostalCode('', 'FR')).toBeNull();
  });

  it('departmentOf', () => {
    expect(departmentOf('75011')).toBe('75');
    expect(departmentOf('01000')).toBe('01');
    expect(departmentOf('20000')).toBe('2A');
    expect(departmentOf('20167')).toBe('2A');
    expect(departmentOf('20200')).toBe('2B');
    expect(departmentOf('20600')).toBe('2B');
    expect(departmentOf('97400')).toBe('974');
    expect(departmentOf('98000')).toBe('980');
    expect(departmentOf('SW1A')).toBeNull();
    expect(departmentOf(null)).toBeNull();
  });
});

describe('normaliseCustomer', () => {
  it('normalises every field', () => {
    const c = normaliseCustomer(
      {
        civility: 'Madame', firstName: ' Hélène ', lastName: 'Dupont', email: 'Helene.Dupont@Example.fr', phone: '01 23 45 67 89',
        mobile: '06.12.34.56.78', postalCode: '1000', city: 'Bourg-en-Bresse', birthDate: '03/01/1985', status: 'Client', notes: 'a\r\nb',
        extra: { fidelite: 'or' },
      },
      { defaultCountry: 'FR' },
    );
    expect(c).toMatchObject({
      kind: 'person', civility: 'Mme', firstName: 'Hélène', lastName: 'Dupont', email: 'Helene.Dupont@Example.fr',
      emailNorm: 'helene.dupont@example.fr', phone: '01 23 45 67 89', phoneE164: '+33123456789', mobile: '06 12 34 56 78',
      mobileE164: '+33612345678', postalCode: '01000', country: 'FR', birthDate: '1985-01-03', status: 'client', notes: 'a\nb',
      extra: { fidelite: 'or' }, siret: null, companyName: null,
    });
  });

  it('infers company, reads the legal form from the name, validates SIRET/VAT', () => {
    const c = normaliseCustomer({ companyName: 'Dupont S.A.R.L.', siret: '732 829 320 00074', vatNumber: 'fr40303265045' });
    expect(c).toMatchObject({ kind: 'company', companyName: 'Dupont S.A.R.L.', legalForm: 'SARL', siret: '73282932000074', vatNumber: 'FR40303265045', status: 'prospect' });
    expect(normaliseCustomer({ companyName: 'SCI Les Lilas' }).legalForm).toBe('SCI');
    expect(normaliseCustomer({ companyName: 'Dupont', legalForm: 'société par actions simplifiée' }).legalForm).toBe('SAS');
    expect(normaliseCustomer({ companyName: 'Dupont SA', legalForm: 'eurl' }).legalForm).toBe('EURL');
    expect(normaliseCustomer({ companyName: 'Dupont', lastName: 'Dupont' }).kind).toBe('person');
    expect(normaliseCustomer({ companyName: 'Dupont', kind: 'Particulier' }).kind).toBe('person');
  });

  it.each([
    ['M', 'M.'], ['Mr', 'M.'], ['monsieur', 'M.'], ['Mlle', 'Mme'], ['Mrs', 'Mme'], ['Ms', 'Mme'], ['MME', 'Mme'], ['Dr', 'Dr'], ['Sa Majesté', 'Sa Majesté'],
  ])('civility %s → %s', (raw, civility) => {
    expect(normaliseCustomer({ lastName: 'X', civility: raw }).civility).toBe(civility);
  });

  it('fills country from the default only for an address', () => {
    expect(normaliseCustomer({ email: 'a@b.fr' }, { defaultCountry: 'FR' }).country).toBeNull();
    expect(normaliseCustomer({ city: 'Lyon', lastName: 'X' }, { defaultCountry: 'France' }).country).toBe('FR');
    expect(normaliseCustomer({ lastName: 'X', country: 'Belgique', phone: '02 123 45 67', postalCode: '1000' })).toMatchObject({
      country: 'BE', phoneE164: '+3221234567', postalCode: '1000',
    });
    // A French mobile on a foreign customer's file is still read, as French.
    expect(normaliseCustomer({ lastName: 'X', country: 'USA', mobile: '06 12 34 56 78' }).mobileE164).toBe('+33612345678');
  });

  it('rejects, naming the field', () => {
    rejects(() => normaliseCustomer({}), 'last_name');
    rejects(() => normaliseCustomer({ city: 'Lyon', notes: 'x' }), 'last_name');
    rejects(() => normaliseCustomer({ lastName: 'X', kind: 'robot' }), 'kind');
    rejects(() => normaliseCustomer({ lastName: 'X', email: 'nope' }), 'email');
    rejects(() => normaliseCustomer({ lastName: 'X', mobile: '12' }), 'mobile');
    rejects(() => normaliseCustomer({ lastName: 'X', siret: '123' }), 'siret');
    rejects(() => normaliseCustomer({ lastName: 'X', vatNumber: 'FR00303265045' }), 'vat_number');
    rejects(() => normaliseCustomer({ lastName: 'X', birthDate: '31/02/1980' }), 'birth_date');
    rejects(() => normaliseCustomer({ lastName: 'X', country: 'Narnia' }), 'country');
    rejects(() => normaliseCustomer({ lastName: 'X', postalCode: '7501' + '12', country: 'FR' }), 'postal_code');
  });

  it('accepts a customer known only by e-mail or phone', () => {
    expect(normaliseCustomer({ email: 'a@b.fr' }).emailNorm).toBe('a@b.fr');
    expect(normaliseCustomer({ mobile: '0612345678' }).mobileE164).toBe('+33612345678');
  });
});

describe('normalisePartial', () => {
  it('normalises only the keys present; empty clears', () => {
    expect(normalisePartial({ email: 'A@B.fr' })).toEqual({ email: 'A@B.fr', emailNorm: 'a@b.fr' });
    expect(normalisePartial({ phone: '' })).toEqual({ phone: null, phoneE164: null });
    expect(normalisePartial({ status: '' })).toEqual({ status: 'prospect' });
    expect(normalisePartial({ city: ' Lyon ', lastName: undefined })).toEqual({ city: 'Lyon' });
    expect(normalisePartial({ postalCode: '1000' }, { country: 'FR' })).toEqual({ postalCode: '01000' });
    expect(normalisePartial({ postalCode: '1000', country: 'BE' }, { country: 'FR' })).toEqual({ postalCode: '1000', country: 'BE' });
  });

  it('agrees with normaliseCustomer field by field', () => {
    const sample: CustomerInput = {
      kind: 'entreprise', civility: 'Mlle', firstName: ' Zoé ', lastName: 'Roux', companyName: 'Roux  SAS', legalForm: 's.a.s.',
      siret: '732829320 00074', vatNumber: 'fr40303265045', sector: 'BTP', jobTitle: 'Gérante', email: 'Z@Roux.fr', phone: '0123456789',
      mobile: '+33 7 12 34 56 78', addressLine1: '1 rue A', addressLine2: 'Bât. B', postalCode: '6000', city: 'Nice', country: 'france',
      birthDate: '1/2/1990', website: 'roux.fr', owner: 'moi', region: 'PACA', status: 'Lead', source: 'salon', externalId: ' 42 ',
      externalSource: 'crm', notes: 'x\r\ny',
    };
    const full = normaliseCustomer(sample);
    for (const key of Object.keys(sample) as (keyof CustomerInput)[]) {
      if (key === 'extra') continue;
      const part = normalisePartial({ [key]: sample[key] }, { country: 'FR' });
      for (const [k, v] of Object.entries(part)) expect([key, k, v]).toEqual([key, k, full[k as keyof typeof full]]);
    }
  });

  it('rejects, naming the field', () => {
    rejects(() => normalisePartial({ kind: '' }), 'kind');
    rejects(() => normalisePartial({ email: 'x' }), 'email');
  });
});
