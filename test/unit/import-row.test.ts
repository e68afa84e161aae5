import { describe, expect, it } from 'vitest';
import { buildMapping } from '../../src/core/import/mapping.js';
import { parseMapOptions } from '../../src/core/import/map-option.js';
import { buildCustomer, type RowOptions } from '../../src/core/import/row.js';
import { readCategories, readConsent } from '../../src/core/import/values.js';

const OPTS: RowOptions = { key: 'auto', source: null, categories: [], defaultCountry: null };

function row(headers: string[], cells: string[], opts: Partial<RowOptions> = {}, maps: string[] = []) {
  return buildCustomer(cells, buildMapping(headers, { maps: parseMapOptions(maps) }).plan, { ...OPTS, ...opts });
}

function ok(headers: string[], cells: string[], opts: Partial<RowOptions> = {}, maps: string[] = []) {
  const r = row(headers, cells, opts, maps);
  if (!r.ok) throw new Error(`rejected: ${r.field}: ${r.reason}`);
  return r.row;
}

describe('a row through normaliseCustomer', () => {
  it('splits Mailchimp\'s one-cell address from the end; a cell in another shape stays whole in extra', () => {
    const mc = (address: string) => {
      const r = buildCustomer(['a@b.fr', address], buildMapping(['Email Address', 'Address'], { format: 'mailchimp' }).plan, OPTS);
      if (!r.ok) throw new Error(r.reason);
      return r.row.fields;
    };
    expect(mc('12 rue des Lilas  Bât. B  Lyon  69  69003  FR')).toMatchObject({
      addressLine1: '12 rue des Lilas', addressLine2: 'Bât. B', city: 'Lyon', region: null, postalCode: '69003', country: 'FR',
    });
    expect(mc('123 Main St  Atlanta  GA  30308  US')).toMatchObject({ addressLine1: '123 Main St', addressLine2: null, city: 'Atlanta', region: 'GA', country: 'US' });
    expect(mc('12 rue des Lilas, Lyon')).toMatchObject({ addressLine1: null, city: null, extra: { Address: '12 rue des Lilas, Lyon' } });
  });

  it('normalises like carnet add and keeps unknown columns in extra', () => {
    const r = ok(['Réf', 'Prénom', 'Nom', 'E-mail', 'SIRET', "Canal d'acquisition"], ['C1', ' Élodie ', 'Meyer', ' Elodie.Meyer@SFR.fr ', '', 'Salon']);
    expect(r.fields).toMatchObject({ externalId: 'C1', firstName: 'Élodie', lastName: 'Meyer', email: 'Elodie.Meyer@SFR.fr', emailNorm: 'elodie.meyer@sfr.fr', extra: { "Canal d'acquisition": 'Salon' } });
    expect(r.ikey).toBe('x\u0001\u0001C1');
  });

  it('a mobile number in a plain Téléphone column goes to mobile; a fixed line stays', () => {
    expect(ok(['Nom', 'Téléphone'], ['Meyer', '06 12 34 56 78']).fields).toMatchObject({ phone: null, mobile: '06 12 34 56 78', mobileE164: '+33612345678' });
    expect(ok(['Nom', 'Téléphone'], ['Meyer', '04.78.00.12.34']).fields).toMatchObject({ phone: '04 78 00 12 34', mobile: null });
    expect(ok(['Nom', 'Téléphone fixe'], ['Meyer', '06 12 34 56 78']).fields).toMatchObject({ phone: '06 12 34 56 78', mobile: null });
  });

  it('an invalid e-mail or SIRET never costs the row: kept in extra with a warning (issue 16)', () => {
    const e = ok(['Nom', 'E-mail'], ['Meyer', 'meyer@']);
    expect(e.fields).toMatchObject({ lastName: 'Meyer', email: null, emailNorm: null });
    expect(e.fields.extra).toEqual({ 'E-mail': 'meyer@' });
    expect(e.warnings).toEqual([{ field: 'email', message: "'meyer@' is not an e-mail address (kept in extra as 'E-mail')" }]);
    // A date typed in the e-mail column (a childcare list): the business is still imported.
    const d = ok(['Raison sociale', 'E-mail'], ['Crèche Les Lutins', '12/03/2019']);
    expect(d.fields).toMatchObject({ companyName: 'Crèche Les Lutins', email: null });
    expect(d.fields.extra).toEqual({ 'E-mail': '12/03/2019' });
    const s = ok(['Société', 'SIRET'], ['Dupont SARL', '732 829 320 00075']);
    expect(s.fields).toMatchObject({ siret: null, companyName: 'Dupont SARL' });
    expect(s.warnings.map((w) => w.field)).toEqual(['siret']);
  });

  it('--strict keeps the earlier rule: an invalid e-mail or SIRET rejects the row, naming the field', () => {
    const strict = { key: 'auto' as const, source: null, categories: [], defaultCountry: 'FR', strict: true };
    expect(buildCustomer(['Meyer', 'meyer@'], buildMapping(['Nom', 'E-mail']).plan, strict)).toMatchObject({ ok: false, field: 'email' });
    expect(buildCustomer(['Dupont SARL', '732 829 320 00075'], buildMapping(['Société', 'SIRET']).plan, strict)).toMatchObject({ ok: false, field: 'siret' });
  });

  it('a row is rejected only when nothing in it identifies anyone', () => {
    expect(row(['Ville'], ['Lyon'])).toMatchObject({ ok: false, field: 'last_name' });
    expect(row(['Prénom', 'Ville'], ['Jean', 'Lyon'])).toMatchObject({ ok: false, field: 'last_name' });
    const bad = row(['Prénom', 'E-mail'], ['Jean', 'jean@']);
    expect(bad).toMatchObject({ ok: false, field: 'last_name' });
    expect(bad.ok ? '' : bad.reason).toMatch(/nothing in this row identifies anyone.*email: 'jean@' is not an e-mail address\)$/);
    // FEBRL rows without a surname: a first name with an address and a birth date identify a person.
    expect(ok(['given_name', 'address_1', 'date_of_birth'], ['kayla', '12 giblin street', '19561003']).fields).toMatchObject({ firstName: 'kayla', lastName: null });
    expect(ok(['given_name', 'date_of_birth'], ['kayla', '19561003']).fields.birthDate).toBe('1956-10-03');
    expect(ok(['Réf'], ['C42']).fields.externalId).toBe('C42');
    expect(ok(['Téléphone'], ['06 12 34 56 78']).fields.mobileE164).toBe('+33612345678');
  });

  it('a typo in a birth date, phone or postal code keeps the row: the raw value goes to extra with a warning', () => {
    const r = ok(['rec_id', 'given_name', 'surname', 'date_of_birth', 'Téléphone', 'Pays', 'Code postal'], ['rec-1-org', 'kayla', 'harrington', '19561307', 'appelez-moi', 'France', '6900']);
    expect(r.fields).toMatchObject({ birthDate: null, phone: null, postalCode: '06900', country: 'FR' });
    expect(r.fields.extra).toEqual({ date_of_birth: '19561307', Téléphone: 'appelez-moi' });
    expect(r.warnings.map((w) => w.field).sort()).toEqual(['birth_date', 'phone']);
    expect(r.warnings.find((w) => w.field === 'birth_date')?.message).toMatch(/not a real date.*kept in extra as 'date_of_birth'/);
  });

  it('FEBRL dates (yyyymmdd) and a street number put before the street', () => {
    const r = ok(['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'date_of_birth'], ['rec-2-org', 'lachlan', 'berry', '69', 'giblin street', '19990219']);
    expect(r.fields).toMatchObject({ addressLine1: '69 giblin street', birthDate: '1999-02-19' });
  });

  it('a full name is split when there is no first and last name; kept in extra when it says more', () => {
    expect(ok(['name', 'email'], ['Loïc Le Gall', 'l@x.fr']).fields).toMatchObject({ firstName: 'Loïc', lastName: 'Le Gall' });
    expect(ok(['Display Name', 'First Name', 'Last Name'], ['John Doe', 'John', 'Doe']).fields.extra).toEqual({});
    expect(ok(['Display Name', 'First Name', 'Last Name'], ['Johnny', 'John', 'Doe']).fields.extra).toEqual({ 'Display Name': 'Johnny' });
  });

  it("Google's ' ::: ' multi-values: the first is the field, the whole cell is kept", () => {
    const r = ok(['Name', 'E-mail 1 - Value', 'Labels'], ['Ann Lee', 'a@x.fr ::: b@y.fr', '* myContacts ::: Friends ::: VIP']);
    expect(r.fields.email).toBe('a@x.fr');
    expect(r.fields.extra['E-mail 1 - Value']).toBe('a@x.fr ::: b@y.fr');
    expect(r.categories).toEqual(['Friends', 'VIP']);
  });

  it("a Google phone labelled Mobile goes to mobile", () => {
    const r = ok(['Name', 'Phone 1 - Type', 'Phone 1 - Value', 'Phone 2 - Type', 'Phone 2 - Value'], ['Ann Lee', 'Work', '01 23 45 67 89', 'Mobile', '07 12 34 56 78']);
    expect(r.fields).toMatchObject({ phone: '01 23 45 67 89', mobile: '07 12 34 56 78' });
  });

  it('a second e-mail goes to extra, the first one wins', () => {
    const r = ok(['E-mail Address', 'E-mail 2 Address'], ['a@x.fr', 'b@x.fr']);
    expect(r.fields.email).toBe('a@x.fr');
    expect(r.fields.extra).toEqual({ 'E-mail 2 Address': 'b@x.fr' });
  });

  it('takes one whole address: home for a person, work for a company', () => {
    const h = ['First Name', 'Company', 'Home Street', 'Home City', 'Business Street', 'Business City'];
    expect(ok(h, ['Ann', '', '1 rue A', 'Lyon', '2 rue B', 'Paris']).fields).toMatchObject({ addressLine1: '1 rue A', city: 'Lyon' });
    const c = ok(h, ['', 'Acme SAS', '1 rue A', 'Lyon', '2 rue B', 'Paris']).fields;
    expect(c).toMatchObject({ addressLine1: '2 rue B', city: 'Paris' });
    expect(c.extra).toEqual({ 'Home Street': '1 rue A', 'Home City': 'Lyon' });
  });

  it('the mask says which fields the file gave (derived values are not given)', () => {
    const r = ok(['Société', 'E-mail'], ['Boulangerie Martin SARL', 'c@martin.fr']);
    expect(r.fields).toMatchObject({ kind: 'company', legalForm: 'SARL', status: 'prospect' });
    expect(r.mask).toBe(2 ** 4 + 2 ** 10);
  });

  it('more values than columns is a reject (a delimiter in an unquoted value shifts every field after it)', () => {
    expect(row(['a', 'b', 'c'], ['7', '8', '9', '10'])).toMatchObject({ ok: false, field: '-' });
    expect(ok(['Nom', 'Ville'], ['Meyer', 'Lyon', '', '']).fields.lastName).toBe('Meyer');
  });

  it('--key email needs an e-mail in every row; --source namespaces external ids; --category is added', () => {
    expect(row(['Email', 'First name', 'Last name'], ['', 'Foo', 'Bar'], { key: 'email' })).toMatchObject({ ok: false, field: 'email' });
    const r = ok(['Réf', 'Nom', 'Catégories'], ['C1', 'Meyer', 'VIP'], { source: 'crm', categories: ['Salon 2025', 'vip'] });
    expect(r.fields.externalSource).toBe('crm');
    expect(r.ikey).toBe('x\u0001crm\u0001C1');
    expect(r.categories).toEqual(['VIP', 'Salon 2025']);
  });

  it('--country pads postal codes Excel stripped and reads national phone numbers', () => {
    expect(ok(['Nom', 'Code postal', 'Ville'], ['Meyer', '1000', 'Bourg'], { defaultCountry: 'FR' }).fields).toMatchObject({ postalCode: '01000', country: 'FR' });
  });
});

describe('consent and category cells', () => {
  it('yes, no, dates, in French and English', () => {
    expect(readConsent('oui', false)).toEqual({ state: 'granted', at: null });
    expect(readConsent(' NON ', false)).toEqual({ state: 'refused', at: null });
    expect(readConsent('x', false)).toEqual({ state: 'granted', at: null });
    expect(readConsent('2015-03-16 14:40:47', false)?.state).toBe('granted');
    expect(readConsent('2015-03-16 14:40:47', false)?.at).toMatch(/^2015-03-16T/);
    expect(readConsent('', false)).toBeNull();
    expect(readConsent('peut-être', false)).toBeUndefined();
    expect(readConsent('oui', true)).toEqual({ state: 'withdrawn', at: null });
    expect(readConsent('non', true)).toBeNull();
  });

  it('category lists', () => {
    expect(readCategories('VIP; Professionnels')).toEqual(['VIP', 'Professionnels']);
    expect(readCategories('* myContacts ::: * starred ::: Famille')).toEqual(['Famille']);
    expect(readCategories('a,A|b')).toEqual(['a', 'b']);
  });

  it('an unreadable consent is kept in extra with a warning', () => {
    const r = ok(['Nom', 'Newsletter'], ['Meyer', 'peut-être']);
    expect(r.consents).toEqual([]);
    expect(r.fields.extra).toEqual({ Newsletter: 'peut-être' });
    expect(r.warnings[0]?.field).toBe('consent');
  });
});
