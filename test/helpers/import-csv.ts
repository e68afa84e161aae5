import { chunkRecords, eolByte } from '../../src/io/csv-in/chunks.js';
import { toUtf8 } from '../../src/io/csv-in/decode.js';
import { parseChunk } from '../../src/io/csv-in/records.js';
import { fileSource } from '../../src/io/csv-in/source.js';
import { openCsv } from '../../src/core/import/read.js';

/**
 * Reads a whole CSV file through import's own reader (sniffing, record
 * aligned chunks, csv-parse), with tiny chunks so that chunk boundaries
 * fall everywhere they can.
 */
export async function readCsv(path: string, opts: { targetSize?: number; encoding?: string } = {}): Promise<{ header: string[]; records: string[][]; lines: number[]; encoding: string; delimiter: string }> {
  const csv = await openCsv(fileSource(path), { encoding: opts.encoding });
  const records: string[][] = [];
  const lines: number[] = [];
  const encoding = csv.encoding.encoding.startsWith('utf-16') ? 'utf-8' : csv.encoding.encoding;
  const eol = eolByte(csv.eol);
  for await (const chunk of chunkRecords(csv.bytes, { skip: csv.encoding.bomLength, encoding: csv.encoding.encoding, eol: csv.eol, targetSize: opts.targetSize ?? 8 })) {
    const bytes = toUtf8(chunk.bytes, encoding, chunk.firstLine, eol);
    const parsed = parseChunk(bytes, { delimiter: csv.delimiter, firstLine: chunk.firstLine, eol, skipHeader: chunk.index === 0 });
    records.push(...parsed.records);
    lines.push(...parsed.lines);
  }
  return { header: csv.header, records, lines, encoding: csv.encoding.encoding, delimiter: csv.delimiter };
}

export function asObjects(header: readonly string[], records: readonly string[][]): Record<string, string>[] {
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
