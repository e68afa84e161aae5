import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox, type Sandbox } from '../helpers/cli.js';
import { inlineRow, xlsxWithSheet } from '../helpers/zip.js';

/**
 * `carnet import` on workbooks written by LibreOffice itself (see
 * test/fixtures/workbooks/README.md): the same French customers as a `;`
 * CSV, with a title row, a merged title, a hidden row, rich text, phones and
 * postal codes typed as numbers, real dates, a formula and an error cell.
 */
const FIX = join(ROOT, 'test', 'fixtures', 'workbooks');
const boxes: Sandbox[] = [];
function box(): Sandbox {
  const s = sandbox('carnet-workbook-');
  boxes.push(s);
  return s;
}
afterAll(() => {
  for (const s of boxes) s.cleanup();
});

/** Every customer as exported, without what differs by nature between two imports (ids, uids, times of writing, file name). */
function customers(s: Sandbox, drop: string[] = []): Record<string, unknown>[] {
  const r = s.run(['export', '--format', 'ndjson', '--include-restricted']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      for (const k of ['id', 'uid', 'updated_at', 'source', ...drop]) delete o[k];
      return o;
    })
    .sort((a, b) => String(a.external_id).localeCompare(String(b.external_id)));
}

describe('a French workbook with a title row, typed phones, postal codes and dates', () => {
  let csv: Record<string, unknown>[];
  beforeAll(() => {
    const s = box();
    const r = s.run(['import', join(FIX, 'clients-fr.csv')]);
    expect(r.code, r.stderr).toBe(0);
    csv = customers(s);
  });

  it('the CSV itself is what we think (leading zeros, 14-digit SIRET, dates)', () => {
    expect(csv).toHaveLength(6);
    expect(csv.find((c) => c.external_id === 'C002')).toMatchObject({ postal_code: '01000', mobile_e164: '+33645221109', created_at: '2022-06-05T00:00:00.000Z' });
    expect(csv.find((c) => c.external_id === 'C003')).toMatchObject({ siret: '73282932000074', phone_e164: '+33478001234' });
  });

  for (const ext of ['xlsx', 'ods']) {
    it(`.${ext} imports into exactly the same customers as the ; CSV`, () => {
      const s = box();
      const r = s.run(['import', join(FIX, `clients-fr.${ext}`)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`6 rows read (${ext}, sheet Clients, header row 3)`);
      expect(r.stderr).toContain('header taken from row 3');
      expect(r.stderr).toMatch(/sheet Clients, row 7, column M \(Canal d'acquisition\): error cell #N\/A, left empty/);
      expect(customers(s)).toEqual(csv);
    });
  }

  it('.xls (Excel 97–2003) gives the same customers (the string result of a formula aside: SheetJS reads it as 0)', () => {
    const s = box();
    const r = s.run(['import', join(FIX, 'clients-fr.xls')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('6 rows read (xls, sheet Clients, header row 3)');
    expect(customers(s, ['extra'])).toEqual(csv.map(({ extra: _e, ...c }) => c));
  });

  it('reads dates of the 1904 date system as the same days', () => {
    const s = box();
    expect(s.run(['import', join(FIX, 'clients-fr-1904.xlsx')]).code).toBe(0);
    expect(customers(s).map((c) => c.created_at)).toEqual(csv.map((c) => c.created_at));
  });

  it('re-importing the same workbook changes nothing; --dry-run and --json work as for CSV', () => {
    const s = box();
    const file = join(FIX, 'clients-fr.xlsx');
    expect(s.json<Record<string, unknown>>(['import', file, '--dry-run'])).toMatchObject({ inserted: 6, dry_run: true, file_format: 'xlsx', sheet: 'Clients', header_row: 3 });
    expect(s.json<Record<string, unknown>>(['import', file])).toMatchObject({ read: 6, inserted: 6 });
    expect(s.json<Record<string, unknown>>(['import', file])).toMatchObject({ read: 6, inserted: 0, updated: 0, unchanged: 6 });
  });

  it('reads a workbook from stdin, recognised by its content', () => {
    const s = box();
    const r = s.run(['import', '-', '--json'], { input: readFileSync(join(FIX, 'clients-fr.xlsx')) });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 6, file_format: 'xlsx', file: 'stdin' });
  });

  it('--sheet and --header-row choose; an unknown sheet lists the sheets (exit 2)', () => {
    const s = box();
    const bad = s.run(['import', join(FIX, 'clients-fr.xlsx'), '--sheet', 'Prospects']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('1 "Lisez-moi", 2 "Clients"');
    const r = s.json<Record<string, unknown>>(['import', join(FIX, 'clients-fr.xlsx'), '--sheet', '2', '--header-row', '3', '--dry-run']);
    expect(r).toMatchObject({ sheet: 'Clients', header_row: 3, inserted: 6 });
    const other = s.json<Record<string, unknown>>(['import', join(FIX, 'clients-fr.xlsx'), '--sheet', 'Lisez-moi', '--dry-run']);
    expect(other).toMatchObject({ sheet: 'Lisez-moi', read: 0 });
  });

  it('imports the sales of a workbook (--what sales): amounts to the cent and dates, as the CSV', () => {
    const s = box();
    expect(s.run(['import', join(ROOT, 'examples', 'clients.csv')]).code).toBe(0);
    expect(s.json<Record<string, unknown>>(['import', join(FIX, 'ventes.xlsx'), '--what', 'sales'])).toMatchObject({ inserted: 8, rejected: 0 });
    expect(s.json<Record<string, unknown>>(['import', join(ROOT, 'examples', 'ventes.csv'), '--what', 'sales'])).toMatchObject({ inserted: 0, updated: 0, unchanged: 8 });
  });
});

describe('rejected rows of a workbook', () => {
  it('are named by sheet, row and column, and the rejects file is a CSV that imports again once fixed', () => {
    const s = box();
    const file = join(s.dir, 'clients.xlsx');
    const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${[
      inlineRow(1, ['Liste des clients']),
      inlineRow(2, ['Nom', 'Prénom', 'Ville', 'Code postal', 'Téléphone', 'E-mail']),
      inlineRow(3, ['Meyer', 'Élodie', 'Lyon', '69003', '0612345678', 'elodie@ex.fr']),
      inlineRow(4, ['Dupont', 'Jean', 'Paris', '75011', '0645221109', 'jean@@ex']),
      inlineRow(5, ['', '', 'Nantes', '44000', '', '']),
    ].join('')}</sheetData></worksheet>`;
    writeFileSync(file, xlsxWithSheet(sheet));
    const rejects = join(s.dir, 'rejects.csv');
    const r = s.run(['import', file, '--rejects', rejects]);
    expect(r.code).toBe(3);
    // A bad value costs nothing but itself (kept in extra), named by its cell; a row identifying no one is rejected.
    expect(r.stderr).toMatch(/sheet Clients, row 4, column F \(E-mail\): /);
    expect(r.stderr).toMatch(/sheet Clients, row 5, column A \(Nom\): nothing in this row identifies anyone/);
    const text = readFileSync(rejects, 'utf8');
    expect(text).toContain('Nantes');
    writeFileSync(rejects, text.replace(',,,Nantes,44000', ',Martin,,Nantes,44000'));
    const again = s.json<Record<string, unknown>>(['import', rejects]);
    expect(again).toMatchObject({ rejected: 0, inserted: 1 });
  });
});

describe('a spreadsheet is untrusted input', () => {
  const s = box();
  const hostile = (name: string, data: Buffer): ReturnType<Sandbox['run']> => {
    const file = join(s.dir, name);
    writeFileSync(file, data);
    const t = Date.now();
    const r = s.run(['import', file, '--dry-run']);
    expect(Date.now() - t, 'answers quickly').toBeLessThan(30_000);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    return r;
  };

  it('a zip bomb stops with exit 3 before inflating it', () => {
    const r = hostile('bomb.xlsx', xlsxWithSheet(Buffer.alloc(200 << 20, 0x20)));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('zip bomb');
  });

  it('an XML entity bomb is refused (exit 3)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>`;
    const r = hostile('lol.xlsx', xlsxWithSheet(lol));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('entit');
  });

  it('a huge declared dimension allocates nothing: the cells present are read', () => {
    const sheet = `<worksheet><dimension ref="A1:XFD1048576"/><sheetData>${inlineRow(1, ['Nom', 'E-mail'])}${inlineRow(2, ['Meyer', 'e@ex.fr'])}</sheetData></worksheet>`;
    const r = hostile('dim.xlsx', xlsxWithSheet(sheet));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('1 rows read');
  });

  it('a cell beyond the last column, or a row beyond the last row, is refused (exit 3)', () => {
    expect(hostile('col.xlsx', xlsxWithSheet('<worksheet><sheetData><row r="1"><c r="ZZZZ1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')).code).toBe(3);
    expect(hostile('row.xlsx', xlsxWithSheet('<worksheet><sheetData><row r="99999999"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')).code).toBe(3);
  });

  it('a truncated or damaged archive, or a damaged .xls, is a clear error (exit 3)', () => {
    const whole = readFileSync(join(FIX, 'clients-fr.xlsx'));
    const cut = hostile('cut.xlsx', whole.subarray(0, Math.floor(whole.length / 2)));
    expect(cut.code).toBe(3);
    expect(cut.stderr).toContain('not a readable workbook');
    const flipped = Buffer.from(whole);
    for (let i = 200; i < 2000; i += 7) flipped[i] = (flipped[i] as number) ^ 0xff;
    expect(hostile('flipped.xlsx', flipped).code).toBe(3);
    const xls = Buffer.concat([readFileSync(join(FIX, 'clients-fr.xls')).subarray(0, 1024), Buffer.alloc(4096, 0xab)]);
    expect(hostile('bad.xls', xls).code).toBe(3);
  });
});
