import { BOM, csvLineEncoder, joinedLineEncoder, separatorsToDelimiter, type CellKind } from '../../io/write-csv.js';
import { LINE_SEPARATOR } from '../../db/repositories/export.js';
import { JSON_ARRAY, jsonObjectEncoder } from '../../io/write-json.js';
import type { Sink } from '../../io/write-sink.js';
import type { CompiledColumns } from './columns.js';
import type { Gate } from './gate.js';
import type { ExportPlan } from './plan.js';

/**
 * Rows are gathered into chunks of about this many characters before a
 * write: one write per few hundred rows keeps the cost of the stream
 * machinery out of the per-row budget, and memory stays flat.
 */
export const CHUNK = 1 << 17;

export interface Progress {
  exported: number;
}

/** What comes before the rows: the BOM and the header line, or the `[` of a JSON array. */
export function tableHead(plan: ExportPlan, cols: CompiledColumns): string {
  if (plan.format === 'json') return JSON_ARRAY.open;
  if (plan.format === 'ndjson' || !plan.csv) return '';
  const csv = plan.csv;
  let head = csv.bom ? BOM : '';
  if (plan.header) head += csvLineEncoder(cols.headers.map((): CellKind => 0), csv)(cols.headers);
  return head;
}

/** What comes after n rows: the end of a JSON array. */
export function tableTail(plan: ExportPlan, rows: number): string {
  return plan.format === 'json' ? JSON_ARRAY.close(rows) : '';
}

/**
 * CSV, TSV, JSON (one array) or NDJSON, row by row from the iterator to the
 * sink; awaits only when the reader is slower (backpressure), stops as soon
 * as it goes away.
 */
export async function writeTable(
  plan: ExportPlan,
  cols: CompiledColumns,
  rows: IterableIterator<unknown[]>,
  gate: Gate,
  sink: Sink,
  progress: Progress,
  /** Each row's first value is the whole line, built by SQLite (LineSpec). */
  joined = false,
): Promise<void> {
  const json = plan.format === 'json' || plan.format === 'ndjson';
  const project = cols.project;
  const cells = (row: unknown[]): readonly unknown[] => (project ? project(row) : row);
  let encode: (row: unknown[]) => string;
  /** Turns a chunk into what the sink gets (bytes, for lines whose separators become delimiters there). */
  let finish: (chunk: string) => string | Uint8Array = (chunk) => chunk;
  let buf = tableHead(plan, cols);
  let first = '';
  let between = '';
  if (json) {
    const obj = jsonObjectEncoder(cols.headers, cols.kinds);
    const one = joined ? (row: unknown[]): string => row[0] as string : (row: unknown[]): string => obj(cells(row));
    if (plan.format === 'json') {
      encode = one;
      first = JSON_ARRAY.first;
      between = JSON_ARRAY.between;
    } else encode = (row) => one(row) + '\n';
  } else {
    const csv = plan.csv;
    if (!csv) throw new Error('csv options missing');
    if (joined) {
      const line = joinedLineEncoder(cols.kinds, csv, LINE_SEPARATOR);
      encode = (row) => line(row[0] as string);
      const n = cols.kinds.length;
      finish = (chunk) => {
        const bytes = Buffer.from(chunk, 'utf8');
        separatorsToDelimiter(bytes, LINE_SEPARATOR, csv.delimiter, n);
        return bytes;
      };
    } else {
      const line = csvLineEncoder(cols.kinds, csv);
      encode = (row) => line(cells(row));
    }
  }

  let n = 0;
  for (const row of rows) {
    if (!gate.admit(row)) continue;
    const line = encode(row);
    buf += (n > 0 ? between : first) + line;
    n++;
    if (buf.length >= CHUNK) {
      progress.exported = n;
      const wait = sink.write(finish(buf));
      buf = '';
      if (wait) await wait;
      if (sink.broken) return;
    }
  }
  progress.exported = n;
  buf += tableTail(plan, n);
  const wait = sink.write(finish(buf));
  if (wait) await wait;
}
