import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { chunkRecords, hasher, type RawChunk } from '../../io/csv-in/chunks.js';
import { CsvReadError } from '../../io/csv-in/errors.js';
import { readHeader } from '../../io/csv-in/records.js';
import { sniffDelimiter, sniffEncoding, sniffLineEnding, type EncodingGuess, type LineEnding } from '../../io/csv-in/sniff.js';
import { peek, type CsvSource } from '../../io/csv-in/source.js';
import type { ChunkRunner } from './pool.js';
import type { Batch, BatchError } from './process.js';

/** Enough of the file to guess its encoding and delimiter and read its header. */
const SAMPLE_BYTES = 256 * 1024;
/** Bytes per chunk handed to a parser thread. */
const CHUNK_BYTES = 64 * 1024;

export interface OpenedCsv {
  source: CsvSource;
  encoding: EncodingGuess;
  delimiter: string;
  eol: LineEnding;
  header: string[];
  /** A few records after the header, to recognise columns by their content in a file without a header. */
  sample: string[][];
  bytes: AsyncIterable<Buffer>;
}

function decodeSample(head: Buffer, enc: EncodingGuess): string {
  const body = head.subarray(enc.bomLength);
  return enc.encoding === 'utf-8' ? body.toString('utf8') : iconv.decode(body, enc.encoding, { stripBOM: false });
}

/** Opens a CSV: sniffs encoding, delimiter and line ending, and reads the header row. */
export async function openCsv(source: CsvSource, opts: { encoding?: string | undefined; delimiter?: string | undefined }): Promise<OpenedCsv> {
  const { head, all } = await peek(source.open(), SAMPLE_BYTES);
  const encoding = sniffEncoding(head, opts.encoding);
  const text = decodeSample(head, encoding);
  if (text.trim() === '') {
    throw new CsvReadError('empty', `${source.name} is empty: nothing to import`, null, 'check that the export finished, or that you gave the right file');
  }
  const delimiter = sniffDelimiter(text, opts.delimiter);
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
  return { source, encoding, delimiter, eol, header, sample, bytes: all };
}

export interface StreamStats {
  sha256: string;
  bytes: number;
}

export interface Progress {
  bytes: number;
  totalBytes: number | null;
  rows: number;
}

/**
 * Reads the whole file in record-aligned chunks, has them processed by the
 * runner (threads, several chunks in flight) and hands the batches to
 * `onBatch` in file order. A CSV error in any chunk stops everything.
 */
export async function streamBatches(
  csv: OpenedCsv,
  runner: ChunkRunner,
  skipHeader: boolean,
  onBatch: (b: Batch) => void,
  onProgress?: (p: Progress) => void,
): Promise<StreamStats> {
  const hash = hasher();
  let bytes = 0;
  let rows = 0;
  const inFlight: Promise<Batch | BatchError>[] = [];
  const limit = Math.max(2, runner.threads * 2);
  const deliver = (r: Batch | BatchError): void => {
    if ('error' in r) throw new CsvReadError(r.error.kind, r.error.message, r.error.line, r.error.hint);
    rows += r.read;
    onBatch(r);
    onProgress?.({ bytes, totalBytes: csv.source.size, rows });
  };
  const chunks = chunkRecords(csv.bytes, {
    skip: csv.encoding.bomLength,
    encoding: csv.encoding.encoding,
    eol: csv.eol,
    targetSize: CHUNK_BYTES,
    onRaw: (b) => {
      hash.update(b);
      bytes += b.length;
    },
  });
  try {
    for await (const chunk of chunks as AsyncIterable<RawChunk>) {
      inFlight.push(runner.run(chunk, skipHeader && chunk.index === 0));
      if (inFlight.length >= limit) deliver(await (inFlight.shift() as Promise<Batch | BatchError>));
    }
    while (inFlight.length > 0) deliver(await (inFlight.shift() as Promise<Batch | BatchError>));
  } finally {
    // Results still in flight after an error are not wanted; let them settle quietly.
    for (const p of inFlight) p.catch(() => undefined);
  }
  return { sha256: hash.hex(), bytes };
}
