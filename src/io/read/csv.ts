import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { chunkRecords, eolByte, hasher, type RawChunk } from '../csv-in/chunks.js';
import { toText } from '../csv-in/decode.js';
import { CsvReadError } from '../csv-in/errors.js';
import { parseText } from '../csv-in/fast-records.js';
import { readHeader } from '../csv-in/records.js';
import { sniffDelimiter, sniffEncoding, sniffLineEnding, type EncodingGuess, type LineEnding } from '../csv-in/sniff.js';
import { peek, type CsvSource } from '../csv-in/source.js';

/**
 * The CSV reader: sniffs a file's encoding, delimiter and line ending,
 * reads its header, then cuts the rest into record-aligned chunks of raw
 * bytes. A chunk becomes records with parseCsvChunk — wherever it runs: on
 * the main thread, or in a worker thread for big files (the bytes cross
 * threads cheaply; records would not). This is the fast path that keeps a
 * 1M-row CSV import quick; workbooks and address books hand over records.
 */
export type { RawChunk } from '../csv-in/chunks.js';
export type { LineEnding } from '../csv-in/sniff.js';

/** Enough of the file to guess its encoding and delimiter and read its header. */
const SAMPLE_BYTES = 256 * 1024;
/** Bytes per chunk handed to a parser thread. */
export const CHUNK_BYTES = 64 * 1024;

export interface OpenedCsv {
  source: CsvSource;
  encoding: EncodingGuess;
  delimiter: string;
  eol: LineEnding;
  header: string[];
  /** A few records after the header, to recognise columns by their content in a file without a header. */
  sample: string[][];
  bytes: AsyncIterable<Buffer>;
  /** Lines before the header that are no record (Excel's "sep=;"), and their bytes after the BOM. */
  preamble: { lines: number; bytes: number };
}

/**
 * Excel's delimiter directive, a first line "sep=;" (some programs write it so
 * that Excel opens their CSV right): it names the delimiter and is no row.
 */
const SEP_LINE = /^"?sep=([^\r\n"])"?[^\r\n]*(?:\r\n|\n|\r)/i;

function decodeSample(head: Buffer, enc: EncodingGuess): string {
  const body = head.subarray(enc.bomLength);
  return enc.encoding === 'utf-8' ? body.toString('utf8') : iconv.decode(body, enc.encoding, { stripBOM: false });
}

/** Opens a CSV: sniffs encoding, delimiter and line ending, and reads the header row. */
export async function openCsv(source: CsvSource, opts: { encoding?: string | undefined; delimiter?: string | undefined }): Promise<OpenedCsv> {
  const { head, all } = await peek(source.open(), SAMPLE_BYTES);
  const encoding = sniffEncoding(head, opts.encoding);
  const whole = decodeSample(head, encoding);
  const sep = SEP_LINE.exec(whole);
  const text = sep ? whole.slice(sep[0].length) : whole;
  if (text.trim() === '') {
    throw new CsvReadError('empty', `${source.name} is empty: nothing to import`, null, 'check that the export finished, or that you gave the right file');
  }
  const delimiter = sniffDelimiter(text, opts.delimiter ?? sep?.[1]);
  const eol = sniffLineEnding(text);
  const utf8 = Buffer.from(text, 'utf8');
  const header = readHeader(utf8, delimiter);
  if (!header || header.every((h) => h.trim() === '')) {
    throw new CsvReadError('empty', `${source.name} has no header row`, 1, 'the first line must name the columns (E-mail, Nom, Prénom…)');
  }
  let sample: string[][] = [];
  try {
    sample = (parse(utf8, { delimiter, relax_column_count: true, skip_empty_lines: true, from: 2, to: 20 }) as string[][]);
  } catch {
    // A sample cut in the middle of a quoted value: the rows read so far are enough.
  }
  const preamble = sep ? { lines: 1, bytes: iconv.encode(sep[0], encoding.encoding).length } : { lines: 0, bytes: 0 };
  return { source, encoding, delimiter, eol, header, sample, bytes: all, preamble };
}

export interface StreamStats {
  sha256: string;
  bytes: number;
}

/** The file's chunks after its BOM and preamble, numbered from the header's line; `onRaw` sees every byte read (hash, progress). */
export function csvChunks(csv: OpenedCsv, targetSize: number, onRaw: (b: Buffer) => void): AsyncIterable<RawChunk> {
  return chunkRecords(csv.bytes, { skip: csv.encoding.bomLength + csv.preamble.bytes, firstLine: 1 + csv.preamble.lines, encoding: csv.encoding.encoding, eol: csv.eol, targetSize, onRaw });
}

export function csvHasher(): { update: (b: Buffer) => void; hex: () => string } {
  return hasher();
}

export interface CsvChunkSpec {
  /** Encoding of the chunks' bytes (UTF-16 files arrive already as UTF-8). */
  encoding: string;
  delimiter: string;
  eol: LineEnding;
}

/** A chunk's bytes → its records and the line each starts on; a CSV error names its line. */
export function parseCsvChunk(chunk: RawChunk, spec: CsvChunkSpec, skipHeader: boolean): { records: string[][]; lines: number[] } {
  const eol = eolByte(spec.eol);
  const text = toText(chunk.bytes, spec.encoding, chunk.firstLine, eol);
  return parseText(text, { delimiter: spec.delimiter, firstLine: chunk.firstLine, eol, skipHeader });
}
