import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openInput } from '../../src/io/read/open.js';
import { contentRows, type OdsEvent } from '../../src/io/read/ods.js';
import { BookReadError } from '../../src/io/read/errors.js';
import { ZipFile } from '../../src/io/read/zip.js';
import type { RecordBatch, TableBook } from '../../src/io/read/types.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/ctx.js';
import { odsWithContent } from '../helpers/zip.js';

/**
 * The streaming .ods reader on what LibreOffice writes (odd-cells.ods, made
 * from odd-cells.fods by soffice): repeated rows and cells given back as
 * copies, comments left out, error cells warned, hidden sheets known — and
 * the same rows however content.xml is cut into chunks.
 */
const FIX = join(ROOT, 'test', 'fixtures', 'workbooks');
let dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const d of dirs) d.cleanup();
  dirs = [];
});

async function book(path: string): Promise<TableBook> {
  const opened = await openInput(path);
  if (opened.format !== 'ods') throw new Error(`read as ${opened.format}`);
  return opened.book;
}

async function all(it: AsyncIterable<RecordBatch>): Promise<RecordBatch> {
  const out: RecordBatch = { records: [], rows: [], warnings: [] };
  for await (const b of it) {
    out.records.push(...b.records);
    out.rows.push(...b.rows);
    out.warnings.push(...b.warnings);
  }
  return out;
}

describe('the .ods reader', () => {
  it("reads LibreOffice's file as LibreOffice shows it", async () => {
    const b = await book(join(FIX, 'odd-cells.ods'));
    expect(b.sheets.map((s) => [s.name, s.hidden])).toEqual([['Notes', false], ['Clients', false], ['Cachée', true]]);
    const r = await all(b.records(1, 1));
    expect(r.rows).toEqual([2, 3, 4, 5, 6, 7, 12]);
    expect(r.records).toEqual([
      ['Dupont', 'd@x.fr', 'ligne un\n  deuxtrois', '2022-06-05', '0.25'],
      ['Martin', 'm@x.fr', '', '44928.6041666667', '1'],
      ['Pareil', '', '', '12.3'],
      ['Pareil', '', '', '12.3'],
      ['Pareil', '', '', '12.3'],
      ['Fusion', '', 'après', '0.378472222222222'],
      ['Bas', '<b>&'],
    ]);
    expect(r.warnings).toEqual([{ row: 3, column: 2, message: 'sheet Clients, row 3, column C: error cell #DIV/0!, left empty' }]);
    expect((await all(b.records(2, 0))).records).toEqual([['secret']]);
  });

  it('gives the same rows whatever the chunks content.xml comes in', async () => {
    const zip = ZipFile.open(join(FIX, 'odd-cells.ods'), 'odd-cells.ods');
    const parts: Buffer[] = [];
    for await (const b of zip.stream('content.xml')) parts.push(b);
    const content = Buffer.concat(parts);
    const read = async (size: number): Promise<OdsEvent[]> => {
      const chunks = async function* (): AsyncGenerator<Buffer> {
        for (let at = 0; at < content.length; at += size) yield content.subarray(at, at + size);
      };
      const out: OdsEvent[] = [];
      for await (const e of contentRows(chunks(), 'x.ods', () => 'cells')) out.push(e);
      return out;
    };
    const whole = await read(content.length);
    expect(whole.filter((e) => e.kind === 'row')).toHaveLength(10);
    for (const size of [1, 3, 17, 64, 1000, 4096]) expect(await read(size), `chunks of ${size}`).toEqual(whole);
  });

  it('refuses an entity bomb, a zip bomb, and a row beyond the last row (exit 3, before memory goes)', async () => {
    const tmp = tempDir('carnet-ods-');
    dirs.push(tmp);
    const dir = tmp.dir;
    const file = (name: string, data: Buffer): string => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    };
    const body = (rows: string): string =>
      `<office:document-content><office:body><office:spreadsheet><table:table table:name="T">${rows}</table:table></office:spreadsheet></office:body></office:document-content>`;
    const cell = (t: string): string => `<table:table-cell office:value-type="string"><text:p>${t}</text:p></table:table-cell>`;
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>${body(`<table:table-row>${cell('&lol;')}</table:table-row>`)}`;
    await expect(book(file('lol.ods', odsWithContent(lol)))).rejects.toThrow(/entities/);
    await expect(book(file('bomb.ods', odsWithContent(Buffer.alloc(200 << 20, 0x20))))).rejects.toThrow(/zip bomb/);
    const far = body(`<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row><table:table-row>${cell('x')}</table:table-row>`);
    await expect(book(file('far.ods', odsWithContent(far)))).rejects.toBeInstanceOf(BookReadError);
    const wide = `<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>`;
    await expect(book(file('wide.ods', odsWithContent(body(wide))))).rejects.toThrow(/repeats rows to more than/);
    // LibreOffice's filler — empty rows repeated to the last row — costs nothing.
    const filler = body(`<table:table-row>${cell('Nom')}</table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>`);
    const b = await book(file('filler.ods', odsWithContent(filler)));
    expect(b.sheets[0]?.records).toEqual([['Nom']]);
  });
});
