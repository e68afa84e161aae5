import { parse, CsvError } from 'csv-parse/sync';
import { countOf } from './count.js';
import { CsvReadError } from './errors.js';

/** Records of one chunk, as arrays of cells, each with the line of the file it starts on. */
export interface ParsedChunk {
  records: string[][];
  lines: number[];
}

export interface ParseOptions {
  delimiter: string;
  /** Line of the file where the chunk starts. */
  firstLine: number;
  /** The newline byte that counts lines (LF, or CR for old Mac files). */
  eol: number;
  /** Drop the first record (the header, in the first chunk). */
  skipHeader: boolean;
}

const CR = 0x0d;
const LF = 0x0a;

/** A quoted value that runs to the end of the file: told apart so that a caller who knows where it opened can say so. */
export class UnclosedQuoteError extends CsvReadError {}

export function unclosedQuote(line: number): UnclosedQuoteError {
  return new UnclosedQuoteError('syntax', `a quote opened near line ${line} is never closed`, line,
    'close the quoted value, or double the quote ("") if it belongs to the text');
}

/** A CSV error from csv-parse in words a person can act on. */
function explain(err: CsvError, line: number): CsvReadError {
  const field = typeof (err as { column?: unknown }).column === 'number' ? Number((err as { column?: number }).column) + 1 : null;
  const where = field !== null ? ` (column ${field})` : '';
  switch (err.code) {
    case 'INVALID_OPENING_QUOTE':
      return new CsvReadError('syntax', `line ${line}: a quote in the middle of a value${where}`, line,
        'a value with quotes must start with one (no space before it); remove the space after the delimiter, or double the quote ("") inside a quoted value');
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvReadError('syntax', `line ${line}: text after a closing quote${where}`, line,
        'inside a quoted value write a quote as two quotes (""), and put the delimiter right after the closing quote');
    case 'CSV_QUOTE_NOT_CLOSED':
      return unclosedQuote(line);
    default:
      return new CsvReadError('syntax', `line ${line}: ${err.message}`, line, 'check the file around that line');
  }
}

/** Line breaks inside a record's values (quoted newlines): each moves the next record one line further. */
function innerBreaks(record: readonly string[], eolChar: string): number {
  let n = 0;
  for (const cell of record) {
    let i = cell.indexOf(eolChar);
    while (i !== -1) {
      n++;
      i = cell.indexOf(eolChar, i + 1);
    }
  }
  return n;
}

const OPTIONS = { encoding: 'utf8', bom: false, relax_column_count: true, skip_empty_lines: true } as const;

function parseOrExplain<T>(run: () => T, firstLine: number): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof CsvError) {
      const rel = typeof (err as { lines?: unknown }).lines === 'number' ? Number((err as { lines?: number }).lines) : 1;
      // csv-parse's line counter is right up to the first quoted CRLF, which is where errors usually are reported.
      throw explain(err, firstLine + rel - 1);
    }
    throw err;
  }
}

/**
 * Lines from the records alone, when the chunk has no blank line: each
 * record takes one line plus the line breaks inside its values. Returns
 * null when the count of line breaks in the bytes says otherwise (blank
 * lines were skipped): the caller then asks csv-parse for offsets.
 */
function linesFromRecords(bytes: Buffer, records: readonly string[][], firstLine: number, eol: number): number[] | null {
  const eolChar = String.fromCharCode(eol);
  const lines = new Array<number>(records.length);
  let line = firstLine;
  let breaks = 0;
  for (let i = 0; i < records.length; i++) {
    lines[i] = line;
    const inner = innerBreaks(records[i] as string[], eolChar);
    line += 1 + inner;
    breaks += inner;
  }
  const total = countOf(bytes, eol);
  // Every record ends with a line break, but the last one when the chunk does not end with one.
  const endsWithBreak = bytes.length > 0 && (bytes[bytes.length - 1] === eol || (eol === LF && bytes[bytes.length - 1] === CR));
  return total === records.length - (endsWithBreak ? 0 : 1) + breaks ? lines : null;
}

/**
 * Parses a chunk of UTF-8 bytes with csv-parse (arrays, not objects: the
 * cheapest shape). The line of each record comes from counting line breaks
 * (csv-parse's own counter counts a CRLF inside a quoted value twice, and
 * asking it for each record's offset costs a third of the parse); a chunk
 * with blank lines is parsed again with offsets.
 */
export function parseChunk(bytes: Buffer, opts: ParseOptions): ParsedChunk {
  const all = parseOrExplain(() => parse(bytes, { ...OPTIONS, delimiter: opts.delimiter }) as string[][], opts.firstLine);
  const fast = linesFromRecords(bytes, all, opts.firstLine, opts.eol);
  if (fast) {
    if (opts.skipHeader) {
      all.shift();
      fast.shift();
    }
    return { records: all, lines: fast };
  }
  return parseWithOffsets(bytes, opts);
}

function parseWithOffsets(bytes: Buffer, opts: ParseOptions): ParsedChunk {
  const lines: number[] = [];
  let cursor = 0;
  let line = opts.firstLine;
  const eol = opts.eol;
  const advanceTo = (offset: number): void => {
    let i = bytes.indexOf(eol, cursor);
    while (i !== -1 && i < offset) {
      line++;
      i = bytes.indexOf(eol, i + 1);
    }
    cursor = offset;
  };
  let skip = opts.skipHeader;
  const records = parseOrExplain(
    () =>
      parse(bytes, {
        ...OPTIONS,
        delimiter: opts.delimiter,
        on_record: (record: string[], ctx: { bytes: number }) => {
          // The record ends at ctx.bytes; it starts after the previous one and any blank lines between.
          let start = cursor;
          while (start < ctx.bytes && (bytes[start] === LF || bytes[start] === CR)) start++;
          advanceTo(start);
          const at = line;
          advanceTo(ctx.bytes);
          if (skip) {
            skip = false;
            return null;
          }
          lines.push(at);
          return record;
        },
      }) as string[][],
    opts.firstLine,
  );
  return { records, lines };
}

/** The header record of a file from its first bytes (UTF-8): the first non-empty record, and the line after it. */
export function readHeader(bytes: Buffer, delimiter: string): string[] | null {
  try {
    const [first] = parse(bytes, { delimiter, encoding: 'utf8', bom: true, relax_column_count: true, skip_empty_lines: true, to: 1 }) as string[][];
    return first ?? null;
  } catch (err) {
    if (err instanceof CsvError) throw explain(err, Number((err as { lines?: number }).lines ?? 1));
    throw err;
  }
}
