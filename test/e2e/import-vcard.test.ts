import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, SHARED, sandbox, type Sandbox } from '../helpers/cli.js';

const boxes: Sandbox[] = [];
function box(): Sandbox {
  const s = sandbox('carnet-vcard-');
  boxes.push(s);
  return s;
}
afterAll(() => {
  for (const s of boxes) s.cleanup();
});

function customers(s: Sandbox): Record<string, unknown>[] {
  const r = s.run(['export', '--format', 'ndjson', '--include-restricted']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** An old phone's address book: vCard 2.1 in Windows-1252 and quoted-printable, a folded note, a photo; and 3.0/4.0 cards. */
function addressBook(): Buffer {
  const photo = `PHOTO;ENCODING=BASE64;TYPE=JPEG:${'/9j/4AAQSkZJRgABAQ'.repeat(40)}\r\n${Array.from({ length: 200 }, () => ` ${'QUFBQUFBQUFB'.repeat(6)}`).join('\r\n')}\r\n`;
  const v21 = Buffer.concat([
    Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=WINDOWS-1252:'),
    iconv.encode('Lefèvre;Hélène;;Mme;', 'windows-1252'),
    Buffer.from('\r\nTEL;CELL;VOICE:06 71 23 45 67\r\nTEL;HOME:04 78 00 12 34\r\nEMAIL;INTERNET;PREF:helene.lefevre@orange.fr\r\nEMAIL;INTERNET:h.lefevre@ex.fr\r\n'),
    Buffer.from('ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;27 bd de la Lib=C3=A9ration;Marseille;;13001;France\r\n'),
    Buffer.from('NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Rappeler apr=C3=A8s =\r\nle 15\r\n'),
    Buffer.from(photo),
    Buffer.from('BDAY:19850412\r\nCATEGORIES:VIP,Salon\r\nUID:phone-0001\r\nEND:VCARD\r\n'),
  ]);
  const v30 = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Boulangerie Martin SARL\r\nORG:Boulangerie Martin SARL\r\nTEL;TYPE=WORK,VOICE:04 78 00 12 35\r\nURL:https://boulangerie-martin.fr\r\nUID:phone-0002\r\nEND:VCARD\r\n';
  const v40 = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Loïc Le Gall\r\nN:Le Gall;Loïc;;;\r\nTITLE:Gérant\r\nEMAIL;TYPE=work:loic.legall@wanadoo.fr\r\nNOTE:Une note très longue qui est pliée sur plusieurs lignes comme le veut la n\r\n orme RFC 6350\\, avec une virgule.\r\nUID:urn:uuid:0a6d0c1c-1111-4c4c-8888-123456789abc\r\nEND:VCARD\r\n';
  return Buffer.concat([v21, Buffer.from(v30), Buffer.from(v40)]);
}

describe('carnet import contacts.vcf', () => {
  const s = box();
  const file = join(s.dir, 'contacts.vcf');
  writeFileSync(file, addressBook());

  it('one customer per card: names, company, e-mails, phones (CELL → mobile), address, note, birthday, categories', () => {
    const r = s.run(['import', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('3 cards read (vcf; vcard export)');
    const all = customers(s);
    const helene = all.find((c) => c.last_name === 'Lefèvre');
    expect(helene).toMatchObject({
      first_name: 'Hélène', civility: 'Mme', email: 'helene.lefevre@orange.fr', mobile_e164: '+33671234567', phone_e164: '+33478001234',
      address_line1: '27 bd de la Libération', city: 'Marseille', postal_code: '13001', country: 'FR', notes: 'Rappeler après le 15',
      birth_date: '1985-04-12', external_id: 'phone-0001', categories: expect.arrayContaining(['VIP', 'Salon']),
    });
    // Nothing dropped: the second e-mail is kept; the photo is not.
    expect(helene?.extra).toMatchObject({ 'EMAIL 2': 'h.lefevre@ex.fr' });
    expect(JSON.stringify(helene)).not.toContain('QUFB');
    expect(all.find((c) => c.external_id === 'phone-0002')).toMatchObject({ kind: 'company', company_name: 'Boulangerie Martin SARL', legal_form: 'SARL', website: 'https://boulangerie-martin.fr' });
    expect(all.find((c) => c.last_name === 'Le Gall')).toMatchObject({
      first_name: 'Loïc', job_title: 'Gérant', external_id: '0a6d0c1c-1111-4c4c-8888-123456789abc',
      notes: 'Une note très longue qui est pliée sur plusieurs lignes comme le veut la norme RFC 6350, avec une virgule.',
    });
  });

  it('importing the same address book again updates rather than duplicates (UID → external id)', () => {
    expect(s.json<Record<string, unknown>>(['import', file])).toMatchObject({ read: 3, inserted: 0, unchanged: 3 });
  });
});

describe('carnet export --format vcard | carnet import -', () => {
  it('round-trips every customer unchanged, and rebuilds the same customers in another file', () => {
    const a = box();
    expect(a.run(['import', join(ROOT, 'examples', 'clients.csv')]).code).toBe(0);
    expect(a.run(['edit', 'C001', '--set', 'job_title=Architecte', '--set', 'birth_date=1985-04-12', '--set', 'vat_number=FR40303265045', '--set', 'owner=Paul']).code).toBe(0);
    const before = customers(a);
    const cards = a.run(['export', '--format', 'vcard']).stdout;
    const again = a.json<Record<string, unknown>>(['import', '-'], { input: cards });
    expect(again).toMatchObject({ read: 12, inserted: 0, updated: 0, unchanged: 12, rejected: 0 });
    expect(customers(a)).toEqual(before);

    const b = box();
    expect(b.json<Record<string, unknown>>(['import', '-'], { input: cards })).toMatchObject({ inserted: 12 });
    const strip = (c: Record<string, unknown>): Record<string, unknown> => {
      const { id: _i, uid: _u, created_at: _c, updated_at: _up, external_id: _e, external_source: _s, extra: _x, last_contact_at: _l, ...rest } = c;
      return rest;
    };
    const byName = (l: Record<string, unknown>[]) => l.map(strip).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(byName(customers(b))).toEqual(byName(before));
  });
});

const ROUNDCUBE = join(SHARED, 'contact-exports', 'roundcube-csv2vcard');
describe.skipIf(!existsSync(ROUNDCUBE))('the vCards of roundcube-csv2vcard (GPL: read from ../shared)', () => {
  for (const name of existsSync(ROUNDCUBE) ? readdirSync(ROUNDCUBE).filter((f) => f.endsWith('.vcf')) : []) {
    it(`imports ${name}`, () => {
      const s = box();
      const r = s.json<Record<string, number>>(['import', join(ROUNDCUBE, name)]);
      expect(r.read).toBeGreaterThan(0);
      expect((r.inserted ?? 0) + (r.rejected ?? 0)).toBe(r.read);
      expect(r.inserted).toBeGreaterThan(0);
    });
  }
  it('all.vcf: every kind of property lands in a field or in extra', () => {
    const s = box();
    expect(s.run(['import', join(ROUNDCUBE, 'all.vcf')]).code).toBe(0);
    const [c] = customers(s);
    expect(c).toMatchObject({ first_name: 'First Name', last_name: 'Last Name', company_name: 'Company', job_title: 'Job Title', email: 'home@example.com', birth_date: '1991-01-20' });
    expect(c?.extra).toMatchObject({ 'EMAIL 2': 'work@example.com', NICKNAME: 'Nickname', 'X-GENDER': 'female' });
  });
});
