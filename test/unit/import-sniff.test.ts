import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { lastBoundary, nextBoundary } from '../../src/io/csv-in/chunks.js';
import { sniffDelimiter, sniffEncoding, sniffLineEnding } from '../../src/io/csv-in/sniff.js';
import { UsageError } from '../../src/core/errors.js';
import { readCsv } from '../fixtures/import/read-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'carnet-sniff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sniffEncoding', () => {
  it('reads byte-order marks', () => {
    expect(sniffEncoding(Buffer.from('\ufeffNom;Prénom', 'utf8'))).toMatchObject({ encoding: 'utf-8', bomLength: 3, how: 'bom' });
    expect(sniffEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Nom', 'utf16le')]))).toMatchObject({ encoding: 'utf-16le', bomLength: 2 });
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0, 0x4e]))).toMatchObject({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('tells UTF-8 from Windows-1252 (what French Excel writes)', () => {
    expect(sniffEncoding(Buffer.from('Prénom;Nom\nÉlodie;Meyer\n', 'utf8')).encoding).toBe('utf-8');
    expect(sniffEncoding(iconv.encode('Prénom;Nom\nÉlodie;Meyer\nFrançois;Garçon\n', 'win1252'))).toMatchObject({ encoding: 'windows-1252', how: 'detected', sawNonAscii: true });
    // Plain ASCII is UTF-8 until proven otherwise.
    expect(sniffEncoding(Buffer.from('a,b\n1,2\n'))).toMatchObject({ encoding: 'utf-8', sawNonAscii: false });
  });

  it('does not take a sample cut in the middle of a character for invalid UTF-8', () => {
    const text = Buffer.from('Prénom\nÉlodie', 'utf8');
    expect(sniffEncoding(text.subarray(0, text.length - 1)).encoding).toBe('utf-8');
  });

  it('recognises UTF-16 without a BOM', () => {
    expect(sniffEncoding(Buffer.from('Nom,Prénom\nMeyer,Élodie\n', 'utf16le')).encoding).toBe('utf-16le');
  });

  it('--encoding wins, with friendly names; an unknown one is a usage error', () => {
    expect(sniffEncoding(Buffer.from('abc'), 'cp1252')).toMatchObject({ encoding: 'windows-1252', how: 'given' });
    expect(sniffEncoding(Buffer.from('\ufeffabc', 'utf8'), 'UTF8')).toMatchObject({ encoding: 'utf-8', bomLength: 3 });
    expect(() => sniffEncoding(Buffer.from('abc'), 'klingon')).toThrow(UsageError);
  });
});

describe('sniffDelimiter and sniffLineEnding', () => {
  it('finds ; , tab and |', () => {
    expect(sniffDelimiter('Nom;Prénom;Ville\nMeyer;Élodie;Lyon\n')).toBe(';');
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(sniffDelimiter('a|b|c\n1|2|3\n')).toBe('|');
  });

  it('is not fooled by French decimal commas or by delimiters inside quotes', () => {
    expect(sniffDelimiter('Client;Montant TTC\nC001;1 250,00\nC002;89,50\n')).toBe(';');
    expect(sniffDelimiter('"Nom, prénom";Ville\n"Meyer, Élodie";Lyon\n')).toBe(';');
  });

  it('a single column file is comma-separated; --delimiter wins', () => {
    expect(sniffDelimiter('Primary Email\na@b.fr\n')).toBe(',');
    expect(sniffDelimiter('a;b', 'tab')).toBe('\t');
    expect(() => sniffDelimiter('a;b', ';;')).toThrow(UsageError);
  });

  it('line endings', () => {
    expect(sniffLineEnding('a,b\r\n1,2')).toBe('crlf');
    expect(sniffLineEnding('a,b\n1,2')).toBe('lf');
    expect(sniffLineEnding('a,b\r1,2')).toBe('cr');
    expect(sniffLineEnding('"a\nb",c\r\n')).toBe('crlf');
  });
});

describe('record-aligned chunks', () => {
  it('never cuts inside a quoted value', () => {
    const buf = Buffer.from('a,b\n1,"x\ny"\n2,3\n"z\n');
    // The last newline is inside an unclosed quote: the boundary is after "2,3\n".
    expect(lastBoundary(buf, 0x0a)).toBe(buf.indexOf('"z'));
    expect(lastBoundary(Buffer.from('"only\nquoted'), 0x0a)).toBe(-1);
  });

  it('cuts a read block into pieces of at least the size asked, never inside a quoted value', () => {
    const buf = Buffer.from('a,b\n1,"x\ny"\n2,3\n4,5\n');
    // 4 bytes on: the newline inside "x\ny" is skipped, the record ends after y".
    expect(nextBoundary(buf, 0, buf.length, 4, 0x0a)).toBe(4);
    expect(nextBoundary(buf, 4, buf.length, 4, 0x0a)).toBe(buf.indexOf('2,3'));
    expect(nextBoundary(buf, buf.indexOf('2,3'), buf.length, 4, 0x0a)).toBe(buf.indexOf('4,5'));
    // What is left is no bigger than the size, or ends only at the end: no cut.
    expect(nextBoundary(buf, buf.indexOf('4,5'), buf.length, 4, 0x0a)).toBe(-1);
    expect(nextBoundary(Buffer.from('1,"a\nb\nc'), 0, 9, 2, 0x0a)).toBe(-1);
  });

  it('any CSV cut in any chunk size reads back what one parse of the whole file gives (property)', async () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', ' ', '"', '""', ';', ',', '\n', '\r\n', 'Élodie', 'a;b', 'x\ny', '😄'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 64 }), fc.boolean(), async (rows, size, crlf) => {
        const header = ['col1', 'col2', 'col3'];
        const text = stringify([header, ...rows], { delimiter: ';', record_delimiter: crlf ? '\r\n' : '\n', quoted_string: true });
        const path = join(dir, `p${n++}.csv`);
        writeFileSync(path, text);
        const got = await readCsv(path, { targetSize: size });
        expect(got.header).toEqual(header);
        // The oracle: csv-parse over the whole file at once.
        expect(got.records).toEqual(parse(text, { delimiter: ';', relax_column_count: true, skip_empty_lines: true, from: 2 }));
      }),
      { numRuns: 150 },
    );
  });
});
