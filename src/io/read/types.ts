/**
 * What every reader gives the import: records (arrays of cell texts) in
 * batches, each with where it sits in the file, so that a message can send
 * the user to the right line, or sheet, row and column.
 */
export type BookFormat = 'csv' | 'xlsx' | 'xls' | 'ods' | 'vcf';

/** A cell the reader could not give as it was (an error cell, a formula without a cached value). */
export interface CellWarning {
  /** Row (workbooks, 1-based) or line (vCard) of the record. */
  row: number;
  /** 0-based column of the record, or -1 for the whole record. */
  column: number;
  message: string;
}

export interface RecordBatch {
  records: string[][];
  /** One per record: the sheet row (1-based), or the vCard's first line. */
  rows: number[];
  warnings: CellWarning[];
}

/** The first rows of a sheet, to find its header and to tell a customer list from a notes sheet. */
export interface SheetPreview {
  name: string;
  hidden: boolean;
  records: string[][];
  rows: number[];
}

/**
 * A file read as tables of records: a workbook (one table per sheet) or an
 * address book (one table, fixed columns). The import picks a table and a
 * header row from the previews, then streams the records after it.
 */
export interface TableBook {
  format: Exclude<BookFormat, 'csv'>;
  /** Shown in messages: the file's name, or "stdin". */
  name: string;
  /** Absolute path, null for stdin. */
  path: string | null;
  sheets: SheetPreview[];
  /** Whether rows are sheet rows (workbooks: "sheet X, row N, column C") or card lines (vCard). */
  positions: 'sheet' | 'card';
  /** Records of sheet `sheet` after sheet row `afterRow` (the header), in batches. */
  records(sheet: number, afterRow: number): AsyncIterable<RecordBatch>;
  /** SHA-256 and size of the file's bytes (recorded in import_runs to recognise the same file). */
  sha256: string;
  bytes: number;
  /** Removes what the reader made (a spooled copy of stdin). */
  close(): void;
}

/** Column letters as a spreadsheet shows them: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Records per batch handed to the row builder. */
export const BATCH_RECORDS = 2000;
/** Rows of each sheet read ahead to find the header and judge the sheet. */
export const PREVIEW_ROWS = 30;

/** A non-empty sheet row as a streaming reader gives it (xlsx.ts, ods.ts). */
export interface SheetRow {
  /** 1-based. */
  r: number;
  cells: string[];
  warnings: CellWarning[];
}

/** The rows after `afterRow` (the header), in batches of BATCH_RECORDS. */
export async function* inBatches(rows: AsyncIterable<SheetRow>, afterRow: number): AsyncGenerator<RecordBatch> {
  let batch: RecordBatch = { records: [], rows: [], warnings: [] };
  for await (const row of rows) {
    if (row.r <= afterRow) continue;
    batch.records.push(row.cells);
    batch.rows.push(row.r);
    for (const w of row.warnings) batch.warnings.push(w);
    if (batch.records.length >= BATCH_RECORDS) {
      yield batch;
      batch = { records: [], rows: [], warnings: [] };
    }
  }
  if (batch.records.length > 0 || batch.warnings.length > 0) yield batch;
}
