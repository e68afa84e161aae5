import { describe, expect, it } from 'vitest';
import { copyRows, copyText } from '../../src/db/pg/copy-in.js';

describe("COPY's text format (the PostgreSQL import stage)", () => {
  it('separates by tabs, ends rows by newlines, writes NULL as \\N and numbers as text', () => {
    expect(copyRows([['a', null, 12], ['', 'b', undefined]], 3)).toBe('a\t\\N\t12\n\tb\t\\N\n');
  });
  it('escapes backslash, tab, newline and carriage return inside a value', () => {
    expect(copyRows([['a\tb', 'c\nd', 'e\r\nf', 'C:\\x', '\\N']], 5)).toBe('a\\tb\tc\\nd\te\\r\\nf\tC:\\\\x\t\\\\N\n');
  });
  it('reads flat records and gives nothing for no rows', () => {
    expect(copyText([1, 'x', 2, null], 2)).toBe('1\tx\n2\t\\N\n');
    expect(copyText([], 2)).toBe('');
    expect(copyRows([], 3)).toBe('');
  });
});
