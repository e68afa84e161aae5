import { it, expect } from 'vitest';
import ICAL from 'ical.js';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine, type TestEngine } from '../helpers/engines.js';
import { addContact } from '../../src/core/customers/activity.js';
import { foldLine, vcard } from '../../src/io/vcard.js';
import { add, consent, exportText } from './export-fixtures.js';

type Card = InstanceType<typeof ICAL.Component>;

function cards(text: string): Card[] {
  // ICAL.parse returns one jCard, or a list of them when the text holds several.
  const parsed = ICAL.parse(text) as unknown[];
  const list = typeof parsed[0] === 'string' ? [parsed] : parsed;
  return list.map((j) => new ICAL.Component(j as unknown[]));
}

const value = (c: Card, name: string): unknown => c.getFirstPropertyValue(name);
const values = (c: Card, name: string): unknown[] => c.getAllProperties(name).map((p) => p.getFirstValue());

const LONG_NOTE = 'Client depuis 2019, préfère être appelée le matin; a demandé un devis pour la rénovation de la véranda.\nÀ relancer en mars — \\ voir dossier';

function file(engine: TestEngine) {
  const ctx = memoryCtx(engine);
  add(ctx, {
    civility: 'Mme', firstName: 'Élodie', lastName: 'Meyer, née Roux', email: 'elodie.meyer@sfr.fr', mobile: '06 12 34 56 78',
    addressLine1: '12 rue des Lilas', addressLine2: 'Bât. B', postalCode: '69003', city: 'Lyon', birthDate: '12/04/1985', notes: LONG_NOTE,
    categories: ['VIP', 'Clients; fidèles'],
  });
  add(ctx, { companyName: 'Boulangerie Martin SARL', email: 'contact@boulangerie-martin.fr', phone: '04 78 00 12 34', addressLine1: '8 place Bellecour', postalCode: '69002', city: 'Lyon', website: 'https://boulangerie-martin.fr' });
  addContact(ctx, '2', { firstName: 'Paul', lastName: 'Martin', role: 'gérant', email: 'paul@boulangerie-martin.fr', phone: '06 11 22 33 44' });
  addContact(ctx, '2', { email: 'compta@boulangerie-martin.fr' });
  add(ctx, { firstName: 'Jean', lastName: 'Dupont', phone: '+32 2 123 45 67', country: 'BE' });
  return ctx;
}

forEachEngine('export --format vcard', (engine) => {
  it('every card parses back with ical.js and holds the right values', async () => {
    const ctx = file(engine);
    const { text, result } = await exportText(ctx, { format: 'vcard' });
    expect(result.exported).toBe(3);
    expect(result.contactCards).toBe(1);
    const all = cards(text);
    expect(all).toHaveLength(4);
    for (const c of all) {
      expect(c.name).toBe('vcard');
      expect(value(c, 'version')).toBe('4.0');
      expect(value(c, 'fn')).toBeTruthy();
      expect(String(value(c, 'uid'))).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    }
    const [elodie, bakery, paul, jean] = all as [Card, Card, Card, Card];

    expect(value(elodie, 'kind')).toBe('individual');
    expect(value(elodie, 'fn')).toBe('Élodie Meyer, née Roux');
    expect(value(elodie, 'n')).toEqual(['Meyer, née Roux', 'Élodie', '', 'Mme', '']);
    expect(value(elodie, 'email')).toBe('elodie.meyer@sfr.fr');
    const tel = elodie.getFirstProperty('tel');
    expect(tel?.getFirstValue()).toBe('tel:+33612345678');
    expect(tel?.getParameter('type')).toBe('cell');
    expect(value(elodie, 'adr')).toEqual(['', '', '12 rue des Lilas\nBât. B', 'Lyon', '', '69003', 'France']);
    expect(value(elodie, 'note')).toBe(LONG_NOTE);
    expect(elodie.getFirstProperty('categories')?.getValues()).toEqual(['Clients; fidèles', 'VIP']);
    expect(String(value(elodie, 'bday'))).toBe('1985-04-12');
    expect(String(value(elodie, 'rev'))).toMatch(/^2026-11-23T10:00:00/);
    expect(String(value(elodie, 'uid'))).toBe(`urn:uuid:${ctx.store.customers.get(1)?.uid}`);

    expect(value(bakery, 'kind')).toBe('org');
    expect(value(bakery, 'fn')).toBe('Boulangerie Martin SARL');
    expect(value(bakery, 'org')).toBe('Boulangerie Martin SARL');
    expect(values(bakery, 'email')).toEqual(['contact@boulangerie-martin.fr', 'compta@boulangerie-martin.fr']);
    expect(values(bakery, 'tel')).toEqual(['tel:+33478001234']);
    expect(value(bakery, 'url')).toBe('https://boulangerie-martin.fr');

    expect(value(paul, 'fn')).toBe('Paul Martin');
    expect(value(paul, 'org')).toBe('Boulangerie Martin SARL');
    expect(value(paul, 'title')).toBe('gérant');
    expect(value(paul, 'email')).toBe('paul@boulangerie-martin.fr');
    expect(values(paul, 'tel')).toEqual(['tel:+33611223344']);

    expect(values(jean, 'tel')).toEqual(['tel:+3221234567']);
  });

  it('writes CRLF line ends and folds at 75 octets without splitting a character', async () => {
    const { text } = await exportText(file(engine), { format: 'vcard' });
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toContain('\r\n '); // the long note was folded
    const folded = foldLine(`NOTE:${'é'.repeat(100)}`);
    for (const l of folded.split('\r\n')) {
      expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
      expect(l).not.toContain('\ufffd');
    }
    expect(folded.replace(/\r\n /g, '')).toBe(`NOTE:${'é'.repeat(100)}`);
  });

  it('escapes backslash, comma, semicolon (in compound values) and newlines', () => {
    const card = vcard([
      { name: 'FN', value: { text: 'a,b;c\\d\ne' } },
      { name: 'N', value: { fields: ['x;y', 'z,w'] } },
    ]);
    expect(card).toContain('FN:a\\,b;c\\\\d\\ne\r\n');
    expect(card).toContain('N:x\\;y;z\\,w\r\n');
    expect(card.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
    expect(card.endsWith('END:VCARD\r\n')).toBe(true);
  });

  it('honours --for: only those who may be written to, and no other channel', async () => {
    const ctx = file(engine);
    consent(ctx, 1, 'post', 'granted', '2026-01-01T00:00:00Z');
    const { text, result } = await exportText(ctx, { format: 'vcard', for: 'marketing:post' });
    const all = cards(text);
    expect(all.map((c) => value(c, 'fn'))).toEqual(['Élodie Meyer, née Roux', 'Boulangerie Martin SARL', 'Paul Martin']);
    for (const c of all) {
      expect(c.getAllProperties('email')).toHaveLength(0);
      expect(c.getAllProperties('tel')).toHaveLength(0);
    }
    expect(value(all[0] as Card, 'adr')).toBeTruthy();
    expect(result.leftOut).toEqual({ no_consent: 1 });
  });
});
