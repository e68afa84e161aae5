import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvReadError } from '../../src/io/csv-in/errors.js';
import { ROOT, SHARED } from '../helpers/cli.js';
import { asObjects, readCsv } from '../fixtures/import/read-csv.js';

const FIX = join(ROOT, 'test', 'fixtures', 'import');

/** Cases where csv-spectrum's JSON is not what its CSV says (README: location_coordinates is inconsistent upstream). */
const SPECTRUM_SKIP = new Set(['location_coordinates']);

/** The cases of a folder; none when it is absent (a clone without ../shared: the describe is skipped, but its body still runs). */
function spectrumCases(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)).filter((n) => !SPECTRUM_SKIP.has(n));
}

describe('csv-spectrum parses to its expected records (copied fixtures, BSD-2)', () => {
  const dir = join(FIX, 'csv-spectrum');
  for (const name of spectrumCases(dir)) {
    it(name, async () => {
      const expected = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, string>[];
      for (const targetSize of [8, 1 << 20]) {
        const { header, records } = await readCsv(join(dir, `${name}.csv`), { targetSize });
        expect(asObjects(header, records)).toEqual(expected);
      }
    });
  }

  it('location_coordinates (a quote inside an unquoted value) is refused with its line, not read wrong', async () => {
    const err = await readCsv(join(dir, 'location_coordinates.csv')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvReadError);
    expect((err as CsvReadError).line).toBe(2);
    expect((err as CsvReadError).message).toMatch(/quote in the middle of a value/);
  });
});

describe.skipIf(!existsSync(join(SHARED, 'csv-spectrum')))('csv-spectrum from ../shared/data', () => {
  const dir = join(SHARED, 'csv-spectrum');
  for (const name of spectrumCases(join(dir, 'csvs'))) {
    it(name, async () => {
      const expected = JSON.parse(readFileSync(join(dir, 'json', `${name}.json`), 'utf8')) as Record<string, string>[];
      const { header, records } = await readCsv(join(dir, 'csvs', `${name}.csv`));
      expect(asObjects(header, records)).toEqual(expected);
    });
  }
});

/** Expected records from mafintosh/csv-parser's AVA snapshots (test.js.md) and its bench fixtures. */
const PARSER_CASES: Record<string, Record<string, string>[]> = {
  'basic.csv': [{ a: '1', b: '2', c: '3' }],
  'comma-in-quote.csv': [{ first: 'John', last: 'Doe', address: '120 any st.', city: 'Anytown, WW', zip: '08123' }],
  'escape-quotes.csv': [{ a: '1', b: 'ha "ha" ha' }, { a: '2', b: '""' }, { a: '3', b: '4' }],
  'newlines.csv': [{ a: '1', b: '2', c: '3' }, { a: 'Once upon \na time', b: '5', c: '6' }, { a: '7', b: '8', c: '9' }],
  'quotes+newlines.csv': [{ a: '1', b: 'ha \n"ha" \nha' }, { a: '2', b: ' \n"" \n' }, { a: '3', b: '4' }],
  'latin.csv': [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: '©' }],
  'mac-newlines.csv': [{ a: '1', b: '2', c: '3' }, { a: 'Once upon\ra time', b: '5', c: '6' }],
  'utf8.csv': [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: 'ʤ' }],
  'utf16.csv': [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: 'ʤ' }],
  'utf16-big.csv': [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: 'ʤ' }],
};

describe('csv-parser conformance fixtures parse to their expected records (copied fixtures, MIT)', () => {
  for (const [file, expected] of Object.entries(PARSER_CASES)) {
    it(file, async () => {
      for (const targetSize of [4, 1 << 20]) {
        const { header, records } = await readCsv(join(FIX, 'csv-parser', file), { targetSize });
        expect(asObjects(header, records)).toEqual(expected);
      }
    });
  }

  it('strict.csv keeps its 4-value row as it is (the import refuses it, see import-row tests)', async () => {
    const { records, lines } = await readCsv(join(FIX, 'csv-parser', 'strict.csv'));
    expect(records).toEqual([['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9', '10']]);
    expect(lines).toEqual([2, 3, 4]);
  });

  it('counts lines from the file, quoted newlines included (CRLF too)', async () => {
    const { lines } = await readCsv(join(FIX, 'csv-spectrum', 'newlines_crlf.csv'));
    expect(lines).toEqual([2, 3, 5]);
  });
});

describe.skipIf(!existsSync(join(SHARED, 'csv-conformance')))('csv conformance fixtures from ../shared/data', () => {
  const parser = join(SHARED, 'csv-conformance', 'mafintosh-csv-parser', 'fixtures');
  for (const [file, expected] of Object.entries(PARSER_CASES)) {
    it(`csv-parser ${file}`, async () => {
      const path = existsSync(join(parser, file)) ? join(parser, file) : join(parser, 'bench', file);
      const { header, records } = await readCsv(path);
      expect(asObjects(header, records)).toEqual(expected);
    });
  }
  const commons = join(SHARED, 'csv-conformance', 'apache-commons-csv');
  it('commons-csv bom.csv: the BOM is not part of the first header', async () => {
    const { header, records } = await readCsv(join(commons, 'bom.csv'));
    expect(header[0]).toBe('Date');
    expect(records[0]?.[0]).toBe('14-Mar-14');
  });
  it('commons-csv emoji.csv and japanese.csv: multi-byte text intact across chunk boundaries', async () => {
    const emoji = await readCsv(join(commons, 'emoji.csv'), { targetSize: 7 });
    expect(emoji.records[0]?.[1]).toBe('😄'.repeat(10));
    const ja = await readCsv(join(commons, 'japanese.csv'), { targetSize: 7 });
    expect(ja.records[0]?.[2]).toBe('きちんと節分近くには咲いてる。自然の力ってすごいな～');
  });
});

describe('line numbers', () => {
  it('stay right with blank lines, a missing last line break, quoted line breaks and CR-only files', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'carnet-lines-'));
    try {
      const cases: [string, number[]][] = [
        ['a,b\n1,2\n\n3,4', [2, 4]],
        ['a,b\n1,2\n3,4\n', [2, 3]],
        ['a,b\r\n"x\r\ny",2\r\n\r\n3,4\r\n', [2, 5]],
        ['a,b\r1,"x\ry"\r\r3,4', [2, 5]],
        ['\n\na,b\n1,2', [4]],
      ];
      for (const [i, [text, lines]] of cases.entries()) {
        const path = join(dir, `l${i}.csv`);
        writeFileSync(path, text);
        for (const targetSize of [3, 1 << 20]) expect((await readCsv(path, { targetSize })).lines, JSON.stringify(text)).toEqual(lines);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
