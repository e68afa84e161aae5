import { BOM, csvLineEncoder, type CellKind } from '../../io/write-csv.js';
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
): Promise<void> {
  const json = plan.format === 'json' || plan.format === 'ndjson';
  let encode: (cells: readonly unknown[]) => string;
  let buf = '';
  let first = '';
  let between = '';
  if (json) {
    const obj = jsonObjectEncoder(cols.headers, cols.kinds);
    if (plan.format === 'json') {
      buf = JSON_ARRAY.open;
      encode = (cells) => obj(cells);
      first = JSON_ARRAY.first;
      between = JSON_ARRAY.between;
    } else encode = (cells) => obj(cells) + '\n';
  } else {
    const csv = plan.csv;
    if (!csv) throw new Error('csv options missing');
    encode = csvLineEncoder(cols.kinds, csv);
    if (csv.bom) buf = BOM;
    if (plan.header) buf += csvLineEncoder(cols.headers.map((): CellKind => 0), csv)(cols.headers);
  }

  const project = cols.project;
  let n = 0;
  for (const row of rows) {
    if (!gate.admit(row)) continue;
    const line = encode(project ? project(row) : row);
    buf += (n > 0 ? between : first) + line;
    n++;
    if (buf.length >= CHUNK) {
      progress.exported = n;
      const wait = sink.write(buf);
      buf = '';
      if (wait) await wait;
      if (sink.broken) return;
    }
  }
  progress.exported = n;
  if (plan.format === 'json') buf += JSON_ARRAY.close(n);
  const wait = sink.write(buf);
  if (wait) await wait;
}
