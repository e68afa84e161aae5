import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvReadError } from '../../src/io/csv-in/errors.js';
import { parseText } from '../../src/io/csv-in/fast-records.js';
import { parseChunk, type ParseOptions } from '../../src/io/csv-in/records.js';

/**
 * What a parse gives, or the error it stops with, so two parsers can be
 * compared. The error's line is left out when comparing with csv-parse on a
 * whole chunk: its counter counts a quoted CRLF twice, where the splitter,
 * which hands it one record at a time, is right (the cases above check lines).
 */
function outcome(run: () => { records: string[][]; lines: number[] }, withLine = true): unknown {
  try {
    return run();
  } catch (err) {
    if (err instanceof CsvReadError) return withLine ? { error: err.kind, line: err.line } : { error: err.kind };
    throw err;
  }
}

const opts = (firstLine: number, skipHeader: boolean): ParseOptions => ({ delimiter: ';', firstLine, eol: 10, skipHeader });

describe('the hand splitter reads exactly what csv-parse reads', () => {
  it('splits plain lines, skips empty ones and counts every line', () => {
    const r = parseText('a;b;c\r\n\r\n1;;3\r\n x ;é;\r\n', opts(10, false));
    expect(r.records).toEqual([['a', 'b', 'c'], ['1', '', '3'], [' x ', 'é', '']]);
    expect(r.lines).toEqual([10, 12, 13]);
  });

  it('hands quoted records to csv-parse and goes on by hand after them', () => {
    const r = parseText('n;v\n1;"x;y"\n2;"multi\nline"\n3;z\n', opts(1, true));
    expect(r.records).toEqual([['1', 'x;y'], ['2', 'multi\nline'], ['3', 'z']]);
    expect(r.lines).toEqual([2, 3, 5]);
  });

  it('reports a quote error on the line where it is', () => {
    expect(outcome(() => parseText('a;b\n1;2\n3;x"y\n', opts(1, false)))).toEqual({ error: 'syntax', line: 3 });
    expect(outcome(() => parseText('a;b\n1;2\n3;"never closed\n4;5\n', opts(7, false)))).toEqual({ error: 'syntax', line: 9 });
    // After a quoted CRLF the line is still right (csv-parse alone would say 5).
    expect(outcome(() => parseText('a;"l1\r\nl2"\r\nb;c\r\n"x"y;d\r\n', opts(1, false)))).toEqual({ error: 'syntax', line: 4 });
  });

  it('agrees with csv-parse on random chunks (values, lines and errors)', () => {
    const cell = fc.oneof(
      fc.constantFrom('', ' ', 'a', 'é', 'x y', '"q"', '"a;b"', '"l1\nl2"', '"l1\r\nl2"', 'a"b', '""', '"un"closed', '\r', ';'),
      fc.string({ maxLength: 4 }),
    );
    const lineOf = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(';'));
    const chunk = fc.tuple(fc.array(lineOf, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.integer({ min: 1, max: 50 }), fc.boolean());
    fc.assert(
      fc.property(chunk, ([lines, eol, trailing, firstLine, skipHeader]) => {
        const text = lines.join(eol) + (trailing ? eol : '');
        const o = opts(firstLine, skipHeader);
        expect(outcome(() => parseText(text, o), false)).toEqual(outcome(() => parseChunk(Buffer.from(text, 'utf8'), o), false));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with csv-parse on chunks full of quoted records (the bulk hand-over)', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `"${i}";"name ${i}";"a;b"`).join('\r\n');
    const o = opts(3, false);
    const fast = parseText(rows, o);
    expect(fast).toEqual(parseChunk(Buffer.from(rows, 'utf8'), o));
    expect(fast.records).toHaveLength(60);
  });
});
