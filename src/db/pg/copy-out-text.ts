/**
 * COPY's text format back into rows on the main thread, with the values
 * node-postgres would have given (see worker.ts's type parsers): integers
 * and numerics as numbers, booleans as 0/1, dates, times and JSON as the
 * text the server wrote. Only types listed here take this path; a result
 * with any other (bytea, arrays…) is read through a cursor instead.
 */

const NUMERIC_TYPES = new Set([20, 21, 23, 26, 700, 701, 1700]);
const BOOL = 16;
const TEXT_TYPES = new Set([18, 19, 25, 1042, 1043, 1082, 1083, 1114, 1184, 114, 3802, 2950]);

export type CopyColumn = 'text' | 'number' | 'bool';

/** How each column of a result is read back, or null when one has a type this reader leaves to the cursor. */
export function copyColumns(typeOids: readonly number[]): CopyColumn[] | null {
  const out: CopyColumn[] = [];
  for (const oid of typeOids) {
    if (TEXT_TYPES.has(oid)) out.push('text');
    else if (NUMERIC_TYPES.has(oid)) out.push('number');
    else if (oid === BOOL) out.push('bool');
    else return null;
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** COPY TO writes only these escapes (never octal or hex ones: PostgreSQL's documentation, COPY, "File Formats"). */
function unescape(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/** One value of a row, decoded from its own bytes: a slice of the page's text would keep the whole page alive. */
function value(buf: Buffer, from: number, to: number, kind: CopyColumn): unknown {
  if (to - from === 2 && buf[from] === 92 && buf[from + 1] === 78) return null; // \N
  if (kind === 'number') return Number(buf.toString('latin1', from, to));
  if (kind === 'bool') return buf[from] === 116 ? 1 : 0; // t
  const v = buf.toString('utf8', from, to);
  return v.includes('\\') ? unescape(v) : v;
}

/** The rows of a page of whole COPY lines, as arrays: values end at a tab, rows at a newline (both escaped inside values). */
export function parseCopyPage(page: Uint8Array, columns: readonly CopyColumn[]): unknown[][] {
  const buf = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const rows: unknown[][] = [];
  const width = columns.length;
  const n = buf.length;
  let at = 0;
  while (at < n) {
    const row = new Array<unknown>(width);
    for (let k = 0; k < width; k++) {
      let end = buf.indexOf(k === width - 1 ? 10 : 9, at);
      if (end < 0) end = n;
      row[k] = value(buf, at, end, columns[k] as CopyColumn);
      at = end + 1;
    }
    rows.push(row);
  }
  if (at !== n + 1 && at !== n) throw new Error('COPY page does not end with a whole row');
  return rows;
}
