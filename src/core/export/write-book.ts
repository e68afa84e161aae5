import { CellKind, LIST_SEPARATOR } from '../../io/write-csv.js';
import type { Sink } from '../../io/write-sink.js';
import { odsWriter, xlsxWriter, type BookCellType, type BookColumn, type BookValue } from '../../io/write-book.js';
import type { CompiledColumns } from './columns.js';
import { FIELDS } from '../fields/catalogue.js';
import type { Gate } from './gate.js';
import type { Progress } from './write-table.js';

/**
 * `export --format xlsx|ods`: the same selected rows as CSV, as typed cells.
 * A column is a date column by its name (…_at, …_date, …_on: ISO text in the
 * database) and a number column by its kind; identifiers, postal codes and
 * phones stay text.
 */
const DATE_COLUMN = /(^|_)(at|date|on)$|^last_purchase_at$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** Headers of long values (the catalogue's wide fields, the JSON and list columns, uids): a wide column. */
const WIDE: readonly string[] = [...FIELDS.filter((e) => e.wide).map((e) => e.key), 'extra', 'categories', 'uid'];

function typeOf(header: string, kind: CellKind): BookCellType {
  if (kind === CellKind.number) return 'number';
  if (DATE_COLUMN.test(header)) return header.endsWith('_at') ? 'datetime' : 'date';
  return 'text';
}

function value(v: unknown, type: BookCellType, kind: CellKind): BookValue {
  if (v === null || v === undefined || v === '') return null;
  if (type === 'number') {
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : String(v);
  }
  if (typeof v !== 'string') return typeof v === 'number' ? String(v) : JSON.stringify(v);
  if (type === 'date' && DAY.test(v)) return new Date(`${v}T00:00:00Z`);
  if (type === 'datetime' && INSTANT.test(v)) {
    const d = new Date(v.length === 19 || v.length === 16 ? `${v.replace(' ', 'T')}Z` : v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  if (kind === CellKind.list) return v.split(LIST_SEPARATOR).join(', ');
  if (kind === CellKind.json) return v === '{}' ? null : v;
  return v;
}

export async function writeBook(format: 'xlsx' | 'ods', cols: CompiledColumns, rows: IterableIterator<unknown[]>, gate: Gate, sink: Sink, progress: Progress): Promise<void> {
  const columns: BookColumn[] = cols.headers.map((header, i) => {
    const type = typeOf(header, cols.kinds[i] ?? CellKind.text);
    const width = type === 'number' ? 12 : type === 'date' ? 12 : type === 'datetime' ? 20 : WIDE.some((w) => header.includes(w)) ? 32 : Math.max(12, Math.min(24, header.length + 4));
    return { header, type, width };
  });
  const writer = (format === 'xlsx' ? xlsxWriter : odsWriter)('Clients', columns, { write: (chunk) => sink.write(chunk) });
  const project = cols.project;
  let n = 0;
  for (const row of rows) {
    if (!gate.admit(row)) continue;
    const cells = project ? project(row) : row;
    const wait = writer.add(columns.map((c, i) => value(cells[i], c.type, cols.kinds[i] ?? CellKind.text)));
    n++;
    if (wait) {
      progress.exported = n;
      await wait;
      if (sink.broken) return;
    }
  }
  progress.exported = n;
  await writer.close();
}
