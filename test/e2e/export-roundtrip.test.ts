import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { runCarnet, sandbox, type Sandbox } from '../helpers/cli.js';

/**
 * A file made by `export --preset X` goes back in with `import --format X`
 * into a fresh database without losing any field the format carries.
 * Depends on the import presets (src/core/import/presets.ts).
 */
const importReady = /--format/.test(runCarnet(['import', '--help']).stdout);

const FIELDS = [
  'kind', 'civility', 'first_name', 'last_name', 'company_name', 'job_title', 'email', 'phone_e164', 'mobile_e164', 'address_line1',
  'address_line2', 'postal_code', 'city', 'country', 'birth_date', 'website', 'notes', 'categories',
] as const;
type Field = (typeof FIELDS)[number];
type Rec = Record<Field, unknown>;

let box: Sandbox;
let source: Rec[];

beforeAll(() => {
  if (!importReady) return;
  box = sandbox('carnet-roundtrip-');
  const add = (args: string[]) => {
    const r = box.run(['add', ...args]);
    if (r.code !== 0) throw new Error(r.stderr);
  };
  add(['--civility', 'Mme', '--first-name', 'Élodie', '--last-name', 'Meyer', '--email', 'elodie.meyer@sfr.fr', '--mobile', '06 12 34 56 78',
    '--phone', '04 78 12 34 56', '--address', '12 rue des Lilas', '--address2', 'Bât. B', '--postal-code', '69003', '--city', 'Lyon',
    '--birth-date', '12/04/1985', '--notes', 'Préfère le matin, "urgent"', '--job-title', 'Architecte', '--category', 'VIP', '--category', 'Newsletter']);
  add(['--company', 'Boulangerie Martin SARL', '--email', 'contact@boulangerie-martin.fr', '--phone', '04 78 00 12 34', '--address', '8 place Bellecour',
    '--postal-code', '69002', '--city', 'Lyon', '--website', 'https://boulangerie-martin.fr', '--category', 'Professionnels']);
  add(['--first-name', 'Jean', '--last-name', 'Dupont', '--email', 'jean.dupont@gmail.com', '--mobile', '+32 470 12 34 56', '--country', 'BE']);
  source = records(box.db);
}, 60_000);
afterAll(() => box?.cleanup());

function records(db: string): Rec[] {
  const r = runCarnet(['export', '--nl', '--columns', FIELDS.join(',')], { env: { CARNET_DB: db } });
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec)
    .sort((a, b) => String(a.email).localeCompare(String(b.email)));
}

/** Exports with the preset, imports the file into a new database with the same format name, reads it back. */
function roundTrip(preset: string): Rec[] {
  const file = join(box.dir, `${preset}.csv`);
  const out = box.run(['export', '--preset', preset, '--out', file, '-q']);
  expect(out.code, out.stderr).toBe(0);
  const db = join(box.dir, `${preset}.db`);
  const imp = runCarnet(['import', file, '--format', preset], { env: { CARNET_DB: db } });
  expect(imp.code, imp.stderr).toBe(0);
  return records(db);
}

const pick = (recs: Rec[], fields: readonly Field[]): Partial<Rec>[] => recs.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])));

describe.skipIf(!importReady)('export preset → import --format of the same name', () => {
  it('brevo carries e-mail, first and last name and the SMS number', () => {
    const fields: Field[] = ['email', 'first_name', 'last_name', 'mobile_e164'];
    expect(pick(roundTrip('brevo'), fields)).toEqual(pick(source, fields));
  });

  it('mailchimp carries e-mail, names, the phone and the tags', () => {
    const back = roundTrip('mailchimp');
    const fields: Field[] = ['email', 'first_name', 'last_name', 'categories'];
    expect(pick(back, fields)).toEqual(pick(source, fields));
    // One phone: the mobile when there is one.
    expect(back.map((r) => r.mobile_e164 ?? r.phone_e164)).toEqual(source.map((r) => r.mobile_e164 ?? r.phone_e164));
  });

  it('mailchimp carries the address (one cell, parts two spaces apart) back into street, line 2, postal code, city and country', () => {
    const back = roundTrip('mailchimp');
    const withAddress = (recs: Partial<Rec>[]) => recs.filter((r) => r.address_line1 !== null);
    const fields: Field[] = ['email', 'address_line1', 'address_line2', 'postal_code', 'city', 'country'];
    expect(withAddress(pick(back, fields))).toEqual(withAddress(pick(source, fields)));
    expect(withAddress(pick(back, fields))).toHaveLength(2);
  });

  it('google carries every field of a contact', () => {
    expect(pick(roundTrip('google'), FIELDS)).toEqual(pick(source, FIELDS));
  });

  it('outlook carries every field of a contact', () => {
    expect(pick(roundTrip('outlook'), FIELDS)).toEqual(pick(source, FIELDS));
  });
});
