import { CsvReadError } from '../../io/csv-in/errors.js';
import { CHUNK_BYTES, csvChunks, csvHasher, type OpenedCsv, type RawChunk, type StreamStats } from '../../io/read/csv.js';
import type { ChunkRunner } from './pool.js';
import type { Batch, BatchError } from './process.js';

export type { StreamStats } from '../../io/read/csv.js';

export interface Progress {
  bytes: number;
  totalBytes: number | null;
  rows: number;
}

/**
 * Has a CSV's chunks processed by the runner (threads, several chunks in
 * flight) and hands the batches to `onBatch` in file order. A CSV error in
 * any chunk stops everything.
 */
export async function streamBatches(
  csv: OpenedCsv,
  runner: ChunkRunner,
  skipHeader: boolean,
  onBatch: (b: Batch) => void,
  onProgress?: (p: Progress) => void,
): Promise<StreamStats> {
  const hash = csvHasher();
  let bytes = 0;
  let rows = 0;
  const inFlight: Promise<Batch | BatchError>[] = [];
  // On the main thread a batch is built when its chunk arrives: holding it until the next chunk is read
  // gains no overlap and kept two batches alive across the read (promoted by the GC: ~18 MB at 200k rows).
  const limit = runner.threads === 0 ? 1 : runner.threads * 2;
  const deliver = (r: Batch | BatchError): void => {
    if ('error' in r) throw new CsvReadError(r.error.kind, r.error.message, r.error.line, r.error.hint);
    rows += r.read;
    onBatch(r);
    onProgress?.({ bytes, totalBytes: csv.source.size, rows });
  };
  const chunks = csvChunks(csv, CHUNK_BYTES, (b) => {
    hash.update(b);
    bytes += b.length;
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
