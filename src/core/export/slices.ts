import { LINE_SEPARATOR } from '../../db/repositories/export.js';
import { joinedLineEncoder, separatorsToDelimiter, type CellKind, type CsvOptions } from '../../io/write-csv.js';
import type { Channel } from '../model.js';
import { Gate } from './gate.js';
import type { LeftOutReason } from './types.js';

/**
 * One slice of a parallel export (the customers with ids in [lo, hi)),
 * encoded by a worker thread into the bytes the file gets. The same code
 * runs for every slice, so a parallel export writes exactly what one thread
 * would.
 */
export interface SliceSetup {
  format: 'csv' | 'tsv' | 'json' | 'ndjson';
  csv: CsvOptions | null;
  kinds: CellKind[];
  channels: Channel[] | null;
  reasons: number;
}

export interface SliceDone {
  index: number;
  bytes: Uint8Array;
  rows: number;
  leftOut: Partial<Record<LeftOutReason, number>>;
}

/** Characters encoded at a time within a slice. */
const PIECE = 1 << 16;

/** JSON array slices hold their rows joined by ",\n"; the writer puts the same between slices. */
export const JSON_ROW_SEPARATOR = ',\n';

export interface SliceEncoder {
  encode(rows: Iterable<unknown[]>, index: number): SliceDone;
  /** A slice's memory back from the main thread, once written: reused instead of allocated. */
  recycle(buffer: ArrayBuffer): void;
}

export function sliceEncoder(setup: SliceSetup): SliceEncoder {
  const csv = setup.csv;
  const line =
    setup.format === 'csv' || setup.format === 'tsv'
      ? (() => {
          if (!csv) throw new Error('csv options missing');
          const enc = joinedLineEncoder(setup.kinds, csv, LINE_SEPARATOR);
          return (row: unknown[]): string => enc(row[0] as string);
        })()
      : setup.format === 'ndjson'
        ? (row: unknown[]): string => `${row[0] as string}\n`
        : (row: unknown[]): string => row[0] as string;
  const between = setup.format === 'json' ? JSON_ROW_SEPARATOR : '';
  // One growing buffer per thread, reused for every slice: the text is encoded into it a piece at a time
  // (short-lived strings stay in the young generation), then copied once into the slice's own bytes.
  let scratch = Buffer.allocUnsafeSlow(1 << 20);
  let at = 0;
  const append = (text: string): void => {
    const room = at + text.length * 3;
    if (room > scratch.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(room, scratch.length * 2));
      scratch.copy(bigger, 0, 0, at);
      scratch = bigger;
    }
    at += scratch.write(text, at, 'utf8');
  };
  const free: ArrayBuffer[] = [];
  const encode = (rows: Iterable<unknown[]>, index: number): SliceDone => {
    const gate = new Gate(['@line'], setup.channels, setup.reasons);
    at = 0;
    let text = '';
    let n = 0;
    for (const row of rows) {
      if (!gate.admit(row)) continue;
      text += n > 0 ? between + line(row) : line(row);
      n++;
      if (text.length >= PIECE) {
        append(text);
        text = '';
      }
    }
    append(text);
    if (csv) separatorsToDelimiter(scratch.subarray(0, at), LINE_SEPARATOR, csv.delimiter, setup.kinds.length);
    // Its own memory (never the shared pool of small Buffers): it is moved to the main thread, not
    // copied, and comes back once written.
    const i = free.findIndex((b) => b.byteLength >= at);
    const buffer = i >= 0 ? (free.splice(i, 1)[0] as ArrayBuffer) : new ArrayBuffer(Math.max(at, 1 << 20));
    const bytes = new Uint8Array(buffer, 0, at);
    bytes.set(scratch.subarray(0, at));
    return { index, bytes, rows: n, leftOut: gate.leftOut };
  };
  return { encode, recycle: (buffer) => void (free.length < 4 && free.push(buffer)) };
}
