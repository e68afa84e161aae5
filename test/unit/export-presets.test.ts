import { it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';
import { OUTLOOK_HEADER } from '../../src/core/export/presets-contacts.js';
import { add, exportText } from './export-fixtures.js';

/** A private person with every channel and a company, as in a small French file. */
function file(engine: TestEngine) {
  const ctx = memoryCtx(engine);
  add(ctx, {
    civility: 'Mme', firstName: 'Élodie', lastName: 'Meyer', email: 'elodie.meyer@sfr.fr', mobile: '06 12 34 56 78', phone: '04 78 12 34 56',
    addressLine1: '12 rue des Lilas', addressLine2: 'Bât. B', postalCode: '69003', city: 'Lyon', birthDate: '12/04/1985',
    notes: 'Préfère le matin', categories: ['VIP', 'Newsletter'],
  });
  add(ctx, {
    companyName: 'Boulangerie Martin SARL', jobTitle: 'Boulangerie', email: 'contact@boulangerie-martin.fr', phone: '04 78 00 12 34',
    addressLine1: '8 place Bellecour', postalCode: '69002', city: 'Lyon', website: 'https://boulangerie-martin.fr', categories: ['Professionnels'],
  });
  return ctx;
}

function table(text: string, delimiter: string): { header: string[]; rows: Record<string, string>[] } {
  const records = parse(text, { delimiter, bom: true, relax_column_count: false }) as string[][];
  const [header = [], ...body] = records;
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

/** The cells of a row that hold something. */
const filled = (row: Record<string, string> | undefined): Record<string, string> => Object.fromEntries(Object.entries(row ?? {}).filter(([, v]) => v !== ''));

forEachEngine('export presets', (engine) => {
  it('brevo: EMAIL;FIRSTNAME;LASTNAME;SMS, phones in E.164, no BOM', async () => {
    const { text } = await exportText(file(engine), { preset: 'brevo' });
    expect(text.startsWith('EMAIL;FIRSTNAME;LASTNAME;SMS\n')).toBe(true);
    expect(text).toBe('EMAIL;FIRSTNAME;LASTNAME;SMS\nelodie.meyer@sfr.fr;Élodie;Meyer;+33612345678\ncontact@boulangerie-martin.fr;;;\n');
  });

  it('brevo: attributes asked with --columns come after, named the Brevo way', async () => {
    const { text } = await exportText(file(engine), { preset: 'brevo', columns: ['city', 'postal_code', 'extra.fidélité'] });
    expect(text.split('\n')[0]).toBe('EMAIL;FIRSTNAME;LASTNAME;SMS;CITY;POSTAL_CODE;FIDELITE');
    expect(text.split('\n')[1]).toBe('elodie.meyer@sfr.fr;Élodie;Meyer;+33612345678;Lyon;69003;');
  });

  it('mailchimp: the default audience fields, address two spaces apart, tags in one cell', async () => {
    const { text } = await exportText(file(engine), { preset: 'mailchimp' });
    const { header, rows } = table(text, ',');
    expect(header).toEqual(['Email Address', 'First Name', 'Last Name', 'Phone Number', 'Address', 'Tags']);
    expect(rows).toEqual([
      {
        'Email Address': 'elodie.meyer@sfr.fr', 'First Name': 'Élodie', 'Last Name': 'Meyer', 'Phone Number': '+33612345678',
        Address: '12 rue des Lilas  Bât. B  Lyon  69  69003  FR', Tags: 'Newsletter,VIP',
      },
      {
        'Email Address': 'contact@boulangerie-martin.fr', 'First Name': '', 'Last Name': '', 'Phone Number': '+33478001234',
        Address: '8 place Bellecour  Lyon  69  69002  FR', Tags: 'Professionnels',
      },
    ]);
    expect(text.split('\n')[0]).toBe('Email Address,First Name,Last Name,Phone Number,Address,Tags');
  });

  it('google: the Google CSV header, labels with ::: and "* myContacts", BOM and CRLF', async () => {
    const { text } = await exportText(file(engine), { preset: 'google' });
    expect(text.startsWith('\ufeffFirst Name,Middle Name,Last Name,')).toBe(true);
    expect(text).toContain('\r\n');
    const { header, rows } = table(text, ',');
    expect(header).toEqual([
      'First Name', 'Middle Name', 'Last Name', 'Phonetic First Name', 'Phonetic Middle Name', 'Phonetic Last Name', 'Name Prefix',
      'Name Suffix', 'Nickname', 'File As', 'Organization Name', 'Organization Title', 'Organization Department', 'Birthday', 'Notes',
      'Photo', 'Labels', 'E-mail 1 - Label', 'E-mail 1 - Value', 'Phone 1 - Label', 'Phone 1 - Value', 'Phone 2 - Label', 'Phone 2 - Value',
      'Address 1 - Label', 'Address 1 - Formatted', 'Address 1 - Street', 'Address 1 - City', 'Address 1 - PO Box', 'Address 1 - Region',
      'Address 1 - Postal Code', 'Address 1 - Country', 'Address 1 - Extended Address', 'Website 1 - Label', 'Website 1 - Value',
    ]);
    expect(filled(rows[0])).toEqual({
      'First Name': 'Élodie', 'Last Name': 'Meyer', 'Name Prefix': 'Mme', Birthday: '1985-04-12', Notes: 'Préfère le matin',
      Labels: '* myContacts ::: Newsletter ::: VIP', 'E-mail 1 - Label': 'Home', 'E-mail 1 - Value': 'elodie.meyer@sfr.fr',
      'Phone 1 - Label': 'Mobile', 'Phone 1 - Value': '+33612345678', 'Phone 2 - Label': 'Home', 'Phone 2 - Value': '+33478123456',
      'Address 1 - Label': 'Home', 'Address 1 - Street': '12 rue des Lilas', 'Address 1 - City': 'Lyon', 'Address 1 - Postal Code': '69003',
      'Address 1 - Country': 'France', 'Address 1 - Extended Address': 'Bât. B',
    });
    expect(filled(rows[1])).toEqual({
      'Organization Name': 'Boulangerie Martin SARL', 'Organization Title': 'Boulangerie', Labels: '* myContacts ::: Professionnels',
      'E-mail 1 - Label': 'Work', 'E-mail 1 - Value': 'contact@boulangerie-martin.fr', 'Phone 1 - Label': 'Work', 'Phone 1 - Value': '+33478001234',
      'Address 1 - Label': 'Work', 'Address 1 - Street': '8 place Bellecour', 'Address 1 - City': 'Lyon', 'Address 1 - Postal Code': '69002',
      'Address 1 - Country': 'France', 'Website 1 - Label': 'Work', 'Website 1 - Value': 'https://boulangerie-martin.fr',
    });
  });

  it("outlook: Outlook's 92-column header, a person at Home, a company at Business", async () => {
    const { text } = await exportText(file(engine), { preset: 'outlook' });
    expect(text.startsWith('\ufeffTitle,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,Business Street,')).toBe(true);
    const { header, rows } = table(text, ',');
    expect(header).toHaveLength(92);
    expect(header).toEqual([...OUTLOOK_HEADER]);
    expect(header.slice(-3)).toEqual(['User 3', 'User 4', 'Web Page']);
    expect(filled(rows[0])).toEqual({
      Title: 'Mme', 'First Name': 'Élodie', 'Last Name': 'Meyer', 'Home Street': '12 rue des Lilas', 'Home Street 2': 'Bât. B',
      'Home City': 'Lyon', 'Home Postal Code': '69003', 'Home Country/Region': 'France', 'Home Phone': '+33478123456',
      'Mobile Phone': '+33612345678', Birthday: '1985-04-12', Categories: 'Newsletter;VIP', 'E-mail Address': 'elodie.meyer@sfr.fr',
      'E-mail Type': 'SMTP', 'E-mail Display Name': 'Élodie Meyer (elodie.meyer@sfr.fr)', Notes: 'Préfère le matin',
    });
    expect(filled(rows[1])).toEqual({
      Company: 'Boulangerie Martin SARL', 'Job Title': 'Boulangerie', 'Business Street': '8 place Bellecour', 'Business City': 'Lyon',
      'Business Postal Code': '69002', 'Business Country/Region': 'France', 'Business Phone': '+33478001234', Categories: 'Professionnels',
      'E-mail Address': 'contact@boulangerie-martin.fr', 'E-mail Type': 'SMTP',
      'E-mail Display Name': 'Boulangerie Martin SARL (contact@boulangerie-martin.fr)', 'Web Page': 'https://boulangerie-martin.fr',
    });
  });

  it('a preset is a CSV layout: other formats and --excel are refused', async () => {
    const ctx = file(engine);
    await expect(exportText(ctx, { preset: 'brevo', format: 'json' })).rejects.toThrow(/--preset brevo/);
    await expect(exportText(ctx, { preset: 'google', excel: true })).rejects.toThrow(/--excel/);
    await expect(exportText(ctx, { preset: 'gmail' })).rejects.toThrow(/brevo, mailchimp, google, outlook/);
  });

  it('mailing presets warn when consent was not checked', async () => {
    const ctx = file(engine);
    expect((await exportText(ctx, { preset: 'mailchimp' })).result.warnings.join()).toMatch(/consent was not checked/);
    expect((await exportText(ctx, { preset: 'mailchimp', for: 'marketing:email' })).result.warnings.join()).not.toMatch(/consent/);
    expect((await exportText(ctx, { preset: 'google' })).result.warnings).toEqual([]);
  });
});
