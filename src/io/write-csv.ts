/**
 * A fast CSV/TSV line encoder for exports: rows arrive as arrays straight
 * from SQLite, and each cell is escaped by hand (a regex test, a replace only
 * when needed) — several times faster than csv-stringify on objects.
 */

/** How a cell is written; decided once per column, not per row. */
export const CellKind = {
  text: 0,
  /** Numbers as numbers; a string here is written like text. */
  number: 1,
  /** A phone column: a valid E.164 number (+33612345678) is not a formula and is left as is. */
  phone: 2,
  /** A JSON object held as text (extra): empty object → empty cell. */
  json: 3,
  /** A list held as text joined by U+001F (categories). */
  list: 4,
} as const;
export type CellKind = (typeof CellKind)[keyof typeof CellKind];

/** The separator of lists inside one SQL value (U+001F, "unit separator", never typed by anyone). */
export const LIST_SEPARATOR = '\u001f';

export interface CsvOptions {
  delimiter: string;
  eol: string;
  /**
   * Neutralise cells a spreadsheet would run as a formula (`=`, `+`, `-`,
   * `@`, tab, CR first) by putting a `'` in front. Off with --raw.
   */
  neutralise: boolean;
  /** Write 12.5 as 12,5 (French Excel reads "12.5" as text). */
  decimalComma: boolean;
  /** How lists are joined in a cell (", " by default). */
  listJoin?: string;
}

/**
 * A phone number in international notation: E.164 (+33612345678) or the
 * same with single spaces (+32 2 123 45 67). A + followed only by digits and
 * spaces cannot call a function, reach a cell or start a program, so it is
 * no formula injection; and mailing tools need the +.
 */
const PHONE_BODY = String.raw`[1-9](?: ?\d){6,14}`;
export const INTERNATIONAL_PHONE = new RegExp(`^\\+${PHONE_BODY}$`);

/** Is this text one a spreadsheet would evaluate? (=, +, -, @, tab, CR first) */
export function looksLikeFormula(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

/**
 * The neutralisation rule, in one place: a cell a spreadsheet would run
 * (starting with =, +, -, @, tab or CR) gets a leading `'`, which makes it
 * show the text instead. Two exceptions, neither of which can run anything:
 * a phone number in international notation (in any column: +33612345678
 * stays usable for Brevo or Mailchimp), and numbers (a negative amount).
 */
export function neutralise(s: string, kind: CellKind): string {
  if (kind === CellKind.number || !looksLikeFormula(s)) return s;
  if (INTERNATIONAL_PHONE.test(s)) return s;
  return `'${s}`;
}

/** Returns a function that turns one row of cells into one line (end of line included). */
export function csvLineEncoder(kinds: readonly CellKind[], opts: CsvOptions): (cells: readonly unknown[]) => string {
  const d = opts.delimiter;
  const eol = opts.eol;
  const n = kinds.length;
  const needsQuotes = new RegExp(`["\\r\\n${d === '\t' ? '\\t' : escapeForClass(d)}]`);
  const listJoin = opts.listJoin ?? ', ';
  const kindOf = Int8Array.from(kinds);
  const { neutralise: safe, decimalComma } = opts;

  const text = (s: string, kind: CellKind): string => {
    if (s.length === 0) return s;
    let v = safe && looksLikeFormula(s) ? neutralise(s, kind) : s;
    if (needsQuotes.test(v)) v = `"${v.replace(/"/g, '""')}"`;
    return v;
  };

  const cell = (v: unknown, kind: CellKind): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') {
      const s = String(v);
      return decimalComma ? s.replace('.', ',') : s;
    }
    if (typeof v === 'bigint') return String(v);
    if (typeof v !== 'string') return text(String(v), kind);
    if (kind === CellKind.json) return v === '{}' ? '' : text(v, kind);
    if (kind === CellKind.list) return text(v.split(LIST_SEPARATOR).join(listJoin), kind);
    return text(v, kind);
  };

  return (cells) => {
    let line = n > 0 ? cell(cells[0], kindOf[0] as CellKind) : '';
    for (let i = 1; i < n; i++) line += d + cell(cells[i], kindOf[i] as CellKind);
    return line + eol;
  };
}

/**
 * The fast path for plain columns: SQLite hands over each row as one string,
 * its cells joined by `sep` (one value per row instead of one per cell is
 * most of the speed). A row with nothing to quote and no formula-looking
 * cell is returned as it came, separators and all: they become delimiters
 * later, a whole chunk of bytes at a time (separatorsToDelimiter). Any other
 * row is split and written cell by cell with the rules of csvLineEncoder.
 */
export function joinedLineEncoder(kinds: readonly CellKind[], opts: CsvOptions, sep: string): (joined: string) => string {
  const d = opts.delimiter;
  const eol = opts.eol;
  const special = `"\\r\\n${d === '\t' ? '\\t' : escapeForClass(d)}`;
  const s = escapeForClass(sep);
  // Something to quote anywhere, or a cell starting like a formula that is not a phone number.
  const attention = opts.neutralise
    ? new RegExp(`[${special}]|(?:^|${s})(?:[=\\-@\\t]|\\+(?!${PHONE_BODY}(?:${s}|$)))`)
    : new RegExp(`[${special}]`);
  const cells = csvLineEncoder(kinds, opts);
  const n = kinds.length;
  return (joined) => {
    if (!attention.test(joined)) return joined + eol;
    const parts = joined.split(sep);
    if (parts.length !== n) throw separatorInData(sep);
    return cells(parts);
  };
}

function separatorInData(sep: string): Error {
  return new Error(`a value holds the control character U+${sep.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * Turns the separators of fast-path lines into the delimiter, in place, in a
 * chunk of UTF-8 (an ASCII byte never occurs inside a multi-byte sequence).
 * Checks on the way that each line holds either none (a line written cell by
 * cell) or exactly one between each pair of cells.
 */
export function separatorsToDelimiter(bytes: Uint8Array, sep: string, delimiter: string, cellsPerLine: number): void {
  const from = sep.charCodeAt(0);
  const to = delimiter.charCodeAt(0);
  const expected = cellsPerLine - 1;
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === from) {
      bytes[i] = to;
      count++;
    } else if (b === 10) {
      if (count !== 0 && count !== expected) throw separatorInData(sep);
      count = 0;
    }
  }
}

function escapeForClass(ch: string): string {
  return ch.replace(/[\\\]^-]/g, '\\$&');
}

/** The UTF-8 byte order mark: French Excel needs it to read accents right. */
export const BOM = '\ufeff';
