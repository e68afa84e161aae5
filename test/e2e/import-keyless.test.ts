import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';
import { FIELDS, KEYLESS_KEYS } from '../../src/core/fields/catalogue.js';

/**
 * A row with no key (no e-mail, SIRET or external id) is a customer already
 * in the file only when every column the catalogue marks `keyless` agrees:
 * re-imported as is it changes nothing; with one of those values changed it
 * is somebody else.
 */
const HEADER = 'Prénom;Nom;Société;Téléphone;Mobile;Adresse;Code postal;Ville;Date de naissance';
const ROW = ['Lucie', 'Martin', 'Fleurs & Co', '01 42 00 00 01', '06 12 00 00 02', '3 rue des Lilas', '75011', 'Paris', '12/03/1980'];

let s: Sandbox;
beforeAll(() => {
  s = sandbox('carnet-keyless-e2e-');
});
afterAll(() => s.cleanup());

function file(name: string, rows: string[][]): string {
  const path = join(s.dir, name);
  writeFileSync(path, [HEADER, ...rows.map((r) => r.join(';'))].join('\n') + '\n');
  return path;
}

describe('import of rows with no key', () => {
  it('the catalogue marks the identity of such a row: names, phones, address and birth date', () => {
    expect(KEYLESS_KEYS).toEqual(FIELDS.filter((e) => e.keyless).map((e) => e.key));
    expect([...KEYLESS_KEYS].sort()).toEqual(['address_line1', 'birth_date', 'city', 'company_name', 'first_name', 'last_name', 'mobile_e164', 'phone_e164', 'postal_code']);
  });

  it('re-imported unchanged, matches its customer; with one identity value changed, is a new customer', () => {
    expect(s.json<Record<string, number>>(['import', file('a.csv', [ROW])])).toMatchObject({ inserted: 1 });
    expect(s.json<Record<string, number>>(['import', file('b.csv', [ROW])])).toMatchObject({ inserted: 0, unchanged: 1 });
    // Each identity column changed in turn (the header's columns are the catalogue's keyless fields, in order).
    const changed = ROW.map((_, k) => ROW.map((v, j) => (j !== k ? v : k === 8 ? '13/03/1980' : k === 3 || k === 4 ? v.replace(/0(\d)$/, '9$1') : `${v}x`)));
    const r = s.json<Record<string, number>>(['import', file('c.csv', changed)]);
    expect(r).toMatchObject({ inserted: ROW.length, unchanged: 0 });
  });
});
