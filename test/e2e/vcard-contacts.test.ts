import { afterAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';

/**
 * Issue 13: `carnet export --format vcard | carnet import -` round-trips a
 * company's named contacts too. Each contact is a card of its own, linked
 * to its company's card by X-CARNET-CONTACT-OF; the import makes it a
 * contact of that company again, never a new customer.
 */

const boxes: Sandbox[] = [];
function box(): Sandbox {
  const s = sandbox('carnet-vcard-contacts-');
  boxes.push(s);
  return s;
}
afterAll(() => {
  for (const s of boxes) s.cleanup();
});

type Row = Record<string, unknown>;

function customers(s: Sandbox): Row[] {
  const r = s.run(['export', '--format', 'ndjson', '--include-restricted']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
}

function contactsOf(s: Sandbox, ref: string): Row[] {
  return (s.json<{ contacts: Row[] }>(['show', ref])).contacts;
}

// source: a customer added by hand has none, and an import gives new customers the file's name ("stdin").
const stripCustomer = (c: Row): Row => {
  const { source: _so, id: _i, uid: _u, created_at: _c, updated_at: _up, external_id: _e, external_source: _s, extra: _x, last_contact_at: _l, ...rest } = c;
  return rest;
};
const stripContact = (c: Row): Row => {
  const { id: _i, customerId: _c, createdAt: _cr, updatedAt: _u, ...rest } = c;
  return rest;
};
const sorted = (l: Row[]): Row[] => [...l].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

/** A company with two named contacts, and a person. */
function seed(): Sandbox {
  const s = box();
  const ok = (args: string[]): void => {
    const r = s.run(args);
    expect(r.code, r.stderr).toBe(0);
  };
  ok(['add', '--company', 'Boulangerie Martin', '--email', 'contact@bmartin.fr', '--city', 'Lyon', '--postal-code', '69001', '--category', 'Salon']);
  ok(['contact', 'add', 'contact@bmartin.fr', '--civility', 'Mme', '--first-name', 'Anne', '--last-name', 'Roux', '--role', 'comptable', '--email', 'anne@bmartin.fr', '--phone', '06 11 22 33 44', '--notes', 'le mardi']);
  ok(['contact', 'add', 'contact@bmartin.fr', '--first-name', 'Paul', '--last-name', 'Martin', '--role', 'gérant', '--phone', '04 78 00 11 22']);
  ok(['add', '--first-name', 'Jean', '--last-name', 'Dupont', '--email', 'jean@ex.fr']);
  return s;
}

describe('carnet export --format vcard | carnet import -, with named contacts', () => {
  const a = seed();
  const cards = a.run(['export', '--format', 'vcard']).stdout;
  const before = customers(a);
  const contactsBefore = contactsOf(a, 'contact@bmartin.fr');

  it('links each contact card to its company', () => {
    expect(cards.match(/BEGIN:VCARD/g)).toHaveLength(4);
    const uid = String(before.find((c) => c.company_name === 'Boulangerie Martin')?.uid);
    expect(cards.match(new RegExp(`X-CARNET-CONTACT-OF:${uid}`, 'g'))).toHaveLength(2);
  });

  it('into the same database: nothing inserted, customers and contacts unchanged', () => {
    const r = a.run(['import', '-'], { input: cards });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('contact cards 2: inserted 0 · updated 0 · unchanged 2');
    const again = a.json<Row>(['import', '-'], { input: cards });
    expect(again).toMatchObject({ read: 2, inserted: 0, updated: 0, unchanged: 2, rejected: 0, contacts: { read: 2, inserted: 0, updated: 0, unchanged: 2, kept_as_customers: 0 } });
    expect(customers(a)).toEqual(before);
    expect(contactsOf(a, 'contact@bmartin.fr')).toEqual(contactsBefore);
  });

  it('into a fresh database: the same customers, the same contacts on the company, then unchanged', () => {
    const b = box();
    expect(b.json<Row>(['import', '-', '--dry-run'], { input: cards })).toMatchObject({ inserted: 2, contacts: { read: 2, inserted: 2 } });
    expect(customers(b)).toEqual([]);
    expect(b.json<Row>(['import', '-'], { input: cards })).toMatchObject({ read: 2, inserted: 2, contacts: { read: 2, inserted: 2, unchanged: 0 } });
    expect(sorted(customers(b).map(stripCustomer))).toEqual(sorted(before.map(stripCustomer)));
    const after = contactsOf(b, 'contact@bmartin.fr');
    expect(sorted(after.map(stripContact))).toEqual(sorted(contactsBefore.map(stripContact)));
    expect(after.find((c) => c.lastName === 'Roux')).toMatchObject({ civility: 'Mme', role: 'comptable', email: 'anne@bmartin.fr', phoneE164: '+33611223344', notes: 'le mardi' });
    expect(b.json<Row>(['import', '-'], { input: cards })).toMatchObject({ inserted: 0, unchanged: 2, contacts: { inserted: 0, updated: 0, unchanged: 2 } });
    expect(contactsOf(b, 'contact@bmartin.fr')).toHaveLength(2);
  });

  it('a contact changed in the address book is updated on its company, not added', () => {
    const c = seed();
    const edited = c.run(['export', '--format', 'vcard']).stdout.replace('TITLE:comptable', 'TITLE:expert-comptable');
    expect(c.json<Row>(['import', '-'], { input: edited })).toMatchObject({ inserted: 0, contacts: { inserted: 0, updated: 1, unchanged: 1 } });
    const now = contactsOf(c, 'contact@bmartin.fr');
    expect(now).toHaveLength(2);
    expect(now.find((x) => x.lastName === 'Roux')).toMatchObject({ role: 'expert-comptable' });
  });

  it('a contact card whose company is nowhere stays a customer, with a note: nothing dropped', () => {
    const lone = cards.split(/(?=BEGIN:VCARD)/).filter((card) => card.includes('X-CARNET-CONTACT-OF')).join('');
    const d = box();
    const r = d.json<Row & { notes: string[] }>(['import', '-'], { input: lone });
    expect(r).toMatchObject({ read: 2, inserted: 2, contacts: { read: 0, inserted: 0, kept_as_customers: 2 } });
    expect(r.notes.join('\n')).toMatch(/contact of company .* neither in the database nor in the file: imported as a customer/);
    expect(customers(d).map((x) => x.last_name).sort()).toEqual(['Martin', 'Roux']);
  });
});
