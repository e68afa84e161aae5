import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox, type Sandbox } from '../helpers/cli.js';

/**
 * `carnet export --format xlsx|ods`, read back by a reader other than the
 * writer: SheetJS reads what exceljs wrote (.xlsx); the .ods (written by
 * SheetJS) is checked in its own XML as well.
 */
let s: Sandbox;
beforeAll(() => {
  s = sandbox('carnet-export-book-');
  expect(s.run(['import', join(ROOT, 'test', 'fixtures', 'workbooks', 'clients-fr.csv')]).code).toBe(0);
  expect(s.run(['edit', 'C001', '--set', 'notes==HYPERLINK("http://evil")', '--set', 'birth_date=1985-04-12']).code).toBe(0);
});
afterAll(() => s.cleanup());

function sheetRows(file: string): { headers: string[]; rows: Record<string, XLSX.CellObject | undefined>[]; wb: XLSX.WorkBook } {
  const wb = XLSX.read(readFileSync(file), { dense: true, cellNF: true, cellFormula: true });
  const data = (wb.Sheets[wb.SheetNames[0] as string] as XLSX.WorkSheet)['!data'] as XLSX.CellObject[][];
  const headers = (data[0] ?? []).map((c) => String(c.v));
  const rows = data.slice(1).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i]])));
  return { headers, rows, wb };
}

describe.each(['xlsx', 'ods'])('carnet export --format %s', (format) => {
  const out = (): string => join(s.dir, `clients.${format}`);
  beforeAll(() => {
    const r = s.run(['export', '--format', format, '--out', out(), '--sort', 'external_id']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('one sheet of customers with typed cells: numbers, dates, and text where leading zeros matter', () => {
    const { rows, wb } = sheetRows(out());
    expect(wb.SheetNames).toEqual(['Clients']);
    expect(rows).toHaveLength(6);
    const c2 = rows.find((r) => r.external_id?.v === 'C002');
    expect(c2?.postal_code).toMatchObject({ t: 's', v: '01000' });
    expect(c2?.mobile).toMatchObject({ t: 's', v: '06 45 22 11 09' });
    expect(c2?.mobile_e164).toMatchObject({ t: 's', v: '+33645221109' });
    expect(c2?.id).toMatchObject({ t: 'n' });
    // A date is a date cell (a serial number with a date format), the day itself.
    const created = c2?.created_at;
    expect(created?.t).toBe('n');
    expect(XLSX.SSF.format('yyyy-mm-dd', created?.v as number)).toBe('2022-06-05');
    const c1 = rows.find((r) => r.external_id?.v === 'C001');
    expect(XLSX.SSF.format('yyyy-mm-dd', c1?.birth_date?.v as number)).toBe('1985-04-12');
    expect(rows.find((r) => r.external_id?.v === 'C003')?.siret).toMatchObject({ t: 's', v: '73282932000074' });
  });

  it('never writes a formula: a value starting with = is a text cell, unguarded', () => {
    const { rows } = sheetRows(out());
    const notes = rows.find((r) => r.external_id?.v === 'C001')?.notes;
    expect(notes).toMatchObject({ t: 's', v: '=HYPERLINK("http://evil")' });
    expect(notes?.f).toBeUndefined();
    const xml = execFileSync('unzip', ['-p', out(), format === 'xlsx' ? 'xl/worksheets/sheet1.xml' : 'content.xml'], { encoding: 'utf8' });
    expect(xml).toContain('HYPERLINK');
    expect(xml).not.toMatch(format === 'xlsx' ? /<f>/ : /table:formula=/);
  });

  it('applies --where and --columns', () => {
    const file = join(s.dir, `lyon.${format}`);
    expect(s.run(['export', '--format', format, '--where', 'city = "Lyon"', '--columns', 'email,postal_code,created_at', '--out', file]).code).toBe(0);
    const { headers, rows } = sheetRows(file);
    expect(headers).toEqual(['email', 'postal_code', 'created_at']);
    expect(rows.map((r) => r.email?.v).sort()).toEqual(['contact@boulangerie-martin.fr', 'elodie.meyer@sfr.fr']);
  });
});

describe('the .xlsx layout', () => {
  it('has a frozen, filterable header row and column widths', () => {
    const file = join(s.dir, 'layout.xlsx');
    expect(s.run(['export', '--format', 'xlsx', '--out', file]).code).toBe(0);
    const zip = readFileSync(file);
    const list = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    expect(zip.length).toBeGreaterThan(0);
    expect(list).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(list).toMatch(/<autoFilter ref="A1:[A-Z]+7"/);
    expect(list).toMatch(/<col [^>]*width="/);
  });

  it('an xlsx export imports back into the same customers', () => {
    const file = join(s.dir, 'back.xlsx');
    const columns = 'external_id,first_name,last_name,company_name,siret,email,mobile,phone,postal_code,city,created_at';
    expect(s.run(['export', '--format', 'xlsx', '--columns', columns, '--out', file]).code).toBe(0);
    const r = s.json<Record<string, number>>(['import', file]);
    expect(r).toMatchObject({ read: 6, inserted: 0, updated: 0, unchanged: 6 });
  });
});
