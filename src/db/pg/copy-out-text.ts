/**
 * COPY's text format back into rows on the main thread, with the values
 * the worker's type parsers give (value-kinds.ts). Only the types listed
 * there take this path; a result with any other (bytea, arrays…) is read
 * through a cursor instead.
 */
import { FROM_TEXT, VALUE_KINDS, type ValueKind } from './value-kinds.js';

export type CopyColumn = ValueKind;

/** How each column of a result is read back, or null when one has a type this reader leaves to the cursor. */
export function copyColumns(typeOids: readonly number[]): CopyColumn[] | null {
  const out: CopyColumn[] = [];
  for (const oid of typeOids) {
    const kind = VALUE_KINDS.get(oid);
    if (kind === undefined) return null;
    out.push(kind);
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
  if (kind !== 'text') return FROM_TEXT[kind](buf.toString('latin1', from, to)); // digits, signs, t/f: ASCII
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
