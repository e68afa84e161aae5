import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { parse } from 'csv-parse/sync';
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

describe('the format a file name says', () => {
  it('without --format, --out clients.xlsx writes an .xlsx (and .ods, .vcf, .jsonl theirs); a name that says another format than --format is warned', () => {
    const magic = (f: string): string => readFileSync(join(s.dir, f)).subarray(0, 4).toString('latin1');
    for (const [file, head] of [['named.xlsx', 'PK\x03\x04'], ['named.ods', 'PK\x03\x04'], ['named.vcf', 'BEGI'], ['named.jsonl', '{"id']] as const) {
      const r = s.run(['export', '--out', join(s.dir, file)]);
      expect(r.code, r.stderr).toBe(0);
      expect(magic(file), file).toBe(head);
      expect(r.stderr).not.toContain('warning');
    }
    expect(sheetRows(join(s.dir, 'named.xlsx')).rows).toHaveLength(6);
    const odd = s.run(['export', '--format', 'csv', '--out', join(s.dir, 'odd.xlsx')]);
    expect(odd.code).toBe(0);
    expect(odd.stderr).toContain('warning: odd.xlsx holds CSV, though its name says xlsx');
    expect(magic('odd.xlsx')).toBe('id,u');
  });
});

describe('the .ods layout', () => {
  const file = (): string => join(s.dir, 'layout.ods');
  beforeAll(() => {
    expect(s.run(['edit', 'C002', '--set', 'notes=première ligne\ndeuxième ligne']).code).toBe(0);
    const r = s.run(['export', '--format', 'ods', '--out', file(), '--sort', 'external_id']);
    expect(r.code, r.stderr).toBe(0);
  });
  const part = (name: string): string => execFileSync('unzip', ['-p', file(), name], { encoding: 'utf8' });

  it('is an OpenDocument package: the mimetype first and stored, the content deflated', () => {
    const zip = readFileSync(file());
    // The first local header: its name is "mimetype", its method 0 (stored), its data the media type.
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(8)).toBe(0);
    expect(zip.subarray(30, 38).toString()).toBe('mimetype');
    expect(zip.subarray(38, 38 + 46).toString()).toBe('application/vnd.oasis.opendocument.spreadsheet');
    const listing = execFileSync('unzip', ['-v', file()], { encoding: 'utf8' });
    expect(listing).toMatch(/Defl:N .* content\.xml/);
  });

  it('has a bold, frozen, filterable header row and column widths', () => {
    const content = part('content.xml');
    expect(content).toMatch(/<table:table-header-rows><table:table-row><table:table-cell table:style-name="header"/);
    expect(content).toMatch(/<table:database-range [^>]*table:target-range-address="'Clients'\.A1:'Clients'\.[A-Z]+7" table:display-filter-buttons="true"/);
    expect(content).toMatch(/style:column-width="\d+\.\d+cm"/);
    expect(part('settings.xml')).toMatch(/config:name="VerticalSplitPosition" config:type="int">1</);
  });

  it('keeps the lines of a note (a paragraph each)', () => {
    const { rows } = sheetRows(file());
    expect(rows.find((r) => r.external_id?.v === 'C002')?.notes?.v).toBe('première ligne\ndeuxième ligne');
    expect(part('content.xml')).toContain('<text:p>première ligne</text:p><text:p>deuxième ligne</text:p>');
  });

  it('an ods export imports back into the same customers', () => {
    const back = join(s.dir, 'back.ods');
    const columns = 'external_id,first_name,last_name,company_name,siret,email,mobile,phone,postal_code,city,created_at';
    expect(s.run(['export', '--format', 'ods', '--columns', columns, '--out', back]).code).toBe(0);
    expect(s.json<Record<string, number>>(['import', back])).toMatchObject({ read: 6, inserted: 0, updated: 0, unchanged: 6 });
  });

  // LibreOffice itself reading the file (CI installs it; skipped where it is not installed).
  it.skipIf(!hasSoffice())('opens in LibreOffice with its dates as dates and its text as text', () => {
    const dir = join(s.dir, 'lo');
    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(s.dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, file()], { stdio: 'ignore', timeout: 120_000 });
    const [header = [], ...rows] = parse(readFileSync(join(dir, 'layout.csv'), 'utf8')) as string[][];
    expect(rows).toHaveLength(6);
    const c002 = Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r.includes('C002'))?.[i]]));
    expect(c002).toMatchObject({ postal_code: '01000', mobile: '06 45 22 11 09', notes: 'première ligne\ndeuxième ligne' });
    expect(c002.created_at).toMatch(/^2022-06-05 \d\d:\d\d:\d\d$/);
  });
});

function hasSoffice(): boolean {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
