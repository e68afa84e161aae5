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

/** The strict E.164 shape: + then 7 to 15 digits, the first not 0. */
export const E164 = /^\+[1-9]\d{6,14}$/;
/**
 * A phone in international notation as carnet displays it (+32 2 123 45 67):
 * a +, digits and single spaces. Neither can name a function, a cell or a
 * program, so it is no formula injection either.
 */
const INTERNATIONAL_PHONE = /^\+[1-9](?: ?\d){6,16}$/;

/** Is this text one a spreadsheet would evaluate? (=, +, -, @, tab, CR first) */
export function looksLikeFormula(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

/**
 * The neutralisation rule, in one place: a leading `'` makes a spreadsheet
 * show the text instead of running it. In a phone column a valid E.164
 * number (or the same with spaces) is kept as is — mailing tools need the
 * `+`, and digits after a `+` cannot call a function or reach another cell.
 * Anything else starting with `+` there (`+cmd|…`) is neutralised.
 */
export function neutralise(s: string, kind: CellKind): string {
  if (!looksLikeFormula(s)) return s;
  if (kind === CellKind.phone && (E164.test(s) || INTERNATIONAL_PHONE.test(s))) return s;
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

function escapeForClass(ch: string): string {
  return ch.replace(/[\\\]^-]/g, '\\$&');
}

/** The UTF-8 byte order mark: French Excel needs it to read accents right. */
export const BOM = '\ufeff';
