import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseMapOptions } from '../../src/core/import/map-option.js';
import { buildMapping, looksHeaderless } from '../../src/core/import/mapping.js';
import { detectFormat } from '../../src/core/import/presets.js';

function uses(headers: string[], opts: Parameters<typeof buildMapping>[1] = {}): Record<string, string> {
  return Object.fromEntries(buildMapping(headers, opts).columns.map((c) => [c.column, c.use]));
}

describe('headers to fields', () => {
  it('reads French headers whatever their case, accents and punctuation', () => {
    expect(uses(['Réf', 'CIVILITE', 'prénom', 'Nom', 'Raison sociale', 'N° SIRET', 'N° TVA', 'Courriel', 'Tél. portable', 'Téléphone', 'Code postal', 'CP', 'Ville', 'Date de création'])).toEqual({
      Réf: 'external_id', CIVILITE: 'civility', prénom: 'first_name', Nom: 'last_name', 'Raison sociale': 'company_name', 'N° SIRET': 'siret',
      'N° TVA': 'vat_number', Courriel: 'email', 'Tél. portable': 'mobile', Téléphone: 'phone', 'Code postal': 'postal_code', CP: 'postal_code',
      Ville: 'city', 'Date de création': 'created_at',
    });
  });

  it('keeps a column it does not know in extra (never dropped)', () => {
    expect(uses(['Nom', "Canal d'acquisition", 'Pointure'])).toEqual({ Nom: 'last_name', "Canal d'acquisition": 'extra', Pointure: 'extra' });
  });

  it('maps consent and category columns, and opt-outs', () => {
    const u = uses(['E-mail', 'Newsletter', 'Consentement SMS', 'Désabonné', 'Catégories', 'Labels']);
    expect(u).toMatchObject({ Newsletter: 'consent (email)', 'Consentement SMS': 'consent (sms)', Désabonné: 'opt-out (email)', Catégories: 'categories', Labels: 'categories' });
  });

  it('FEBRL columns need no --map', () => {
    expect(uses(['rec_id', ' given_name', ' surname', ' street_number', ' address_1', ' address_2', ' suburb', ' postcode', ' state', ' date_of_birth', ' soc_sec_id'])).toEqual({
      rec_id: 'external_id', given_name: 'first_name', surname: 'last_name', street_number: 'street number (put before the address)',
      address_1: 'address_line1', address_2: 'address_line2', suburb: 'city', postcode: 'postal_code', state: 'region', date_of_birth: 'birth_date', soc_sec_id: 'extra',
    });
  });

  it('makes repeated headers unique and ignores the columns of a rejects file', () => {
    const m = buildMapping(['carnet_line', 'carnet_field', 'carnet_reason', 'Email', 'Email']);
    expect(m.plan.headers).toEqual(['carnet_line', 'carnet_field', 'carnet_reason', 'Email', 'Email (2)']);
    expect(m.columns.slice(0, 3).map((c) => c.how)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(m.plan.fields.email?.map((s) => s.column)).toEqual([3, 4]);
  });
});

describe('exports recognised and their presets', () => {
  it('detects Google, Outlook, Mailchimp and Brevo from their headers', () => {
    expect(detectFormat(['First Name', 'Last Name', 'Labels', 'E-mail 1 - Label', 'E-mail 1 - Value'])).toBe('google');
    expect(detectFormat(['Name', 'Given Name', 'Family Name', 'Group Membership'])).toBe('google');
    expect(detectFormat(['First Name', 'Last Name', 'E-mail Address', 'Business Phone', 'Categories'])).toBe('outlook');
    expect(detectFormat(['E-mail Address', 'E-mail 2 Address'])).toBe('outlook');
    expect(detectFormat(['Email Address', 'First Name', 'MEMBER_RATING', 'OPTIN_TIME', 'LEID'])).toBe('mailchimp');
    expect(detectFormat(['NAME', 'SURNAME', 'EMAIL'])).toBe('brevo');
    expect(detectFormat(['Nom', 'Prénom', 'E-mail'])).toBeNull();
  });

  it('Brevo: NAME is the last name and SURNAME the first, SMS the mobile', () => {
    expect(uses(['NAME', 'SURNAME', 'EMAIL', 'SMS'])).toEqual({ NAME: 'last_name', SURNAME: 'first_name', EMAIL: 'email', SMS: 'mobile' });
  });

  it('Google: numbered e-mails and phones, the first address group, the organisation', () => {
    const m = buildMapping(['E-mail 1 - Value', 'E-mail 2 - Value', 'Phone 1 - Type', 'Phone 1 - Value', 'Address 1 - City', 'Address 2 - City', 'Organization 1 - Name']);
    expect(m.plan.fields.email?.map((s) => s.column)).toEqual([0, 1]);
    expect(m.plan.fields.phone?.[0]).toMatchObject({ column: 3, labelColumn: 2, phoneAuto: true });
    expect(m.plan.fields.city?.map((s) => s.group)).toEqual(['g1', 'g2']);
    expect(m.plan.fields.companyName?.[0]?.column).toBe(6);
  });

  it('Outlook and Thunderbird address groups, in English and French', () => {
    const m = buildMapping(['Business Street', 'Business City', 'Home Street', 'Home ZipCode', 'Ville (bureau)', 'Code postal (bureau)']);
    const groups = (f: 'addressLine1' | 'city' | 'postalCode') => m.plan.fields[f]?.map((s) => s.group).sort();
    expect(groups('addressLine1')).toEqual(['home', 'work']);
    expect(groups('city')).toEqual(['work', 'work']);
    expect(groups('postalCode')).toEqual(['home', 'work']);
  });

  it("Thunderbird's birth date in three columns", () => {
    const m = buildMapping(['Birth Year', 'Birth Month', 'Birth Day']);
    expect(m.plan.birthParts).toEqual({ y: 0, m: 1, d: 2 });
    expect(uses(['Birthday'])).toEqual({ Birthday: 'birth_date' });
  });
});

describe('--map', () => {
  it('col=field pairs, by name (loosely) or number, to fields, pseudo fields, extra.NAME or ignore', () => {
    const maps = parseMapOptions(['rec_id=external_id', 'GIVEN NAME=first_name', '3=extra.ssn', 'Mot de passe=ignore', 'Abonné=consent.sms']);
    const m = buildMapping(['rec_id', 'given_name', 'soc_sec_id', 'Mot de passe', 'Abonné'], { maps });
    expect(m.columns.map((c) => [c.use, c.how])).toEqual([
      ['external_id', 'map'], ['first_name', 'map'], ['extra.ssn', 'map'], ['ignore', 'map'], ['consent (sms)', 'map'],
    ]);
    expect(m.plan.extraNames[2]).toBe('ssn');
  });

  it('an unknown field or column is a usage error that lists what exists', () => {
    expect(() => parseMapOptions(['Nom=surnom'])).toThrow(UsageError);
    expect(() => parseMapOptions(['Nom=surnom'])).toThrow(/not a field carnet knows/);
    expect(() => buildMapping(['Nom'], { maps: parseMapOptions(['Prénom=first_name']) })).toThrow(/no column 'Prénom'/);
    expect(() => parseMapOptions(['/nonexistent/map.json'])).toThrow(/no such file/);
  });
});

describe('files without a header row', () => {
  it('a first row holding an e-mail address and no known header is data', () => {
    expect(looksHeaderless(['John Doe', 'John', 'Doe', 'john@doe.example'])).toBe(true);
    expect(looksHeaderless(['Nom', 'E-mail'])).toBe(false);
    const m = buildMapping(['John Doe', 'John', 'Doe', 'john@doe.example'], { sampleRows: [['Jane Doe', 'Jane', 'Doe', 'jane@doe.example']] });
    expect(m.plan.headerless).toBe(true);
    expect(m.plan.headers).toEqual(['column 1', 'column 2', 'column 3', 'column 4']);
    expect(m.columns[3]).toMatchObject({ use: 'email', how: 'content' });
  });
});
