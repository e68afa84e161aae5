import { streamingOdsWriter } from './ods-out.js';
import { streamingXlsxWriter } from './xlsx-out.js';

/**
 * Workbooks out: one sheet of customers with typed cells. Numbers are
 * numbers, dates are dates, and everything else — postal codes, phones,
 * SIRETs, and any value starting with "=" — is a string cell, so that
 * leading zeros survive and nothing is ever a formula (the CSV formula
 * guard is not needed). The header row is frozen and filterable.
 * Both are streamed with backpressure (src/io/xlsx-out.ts, src/io/ods-out.ts:
 * flat memory at a million rows): no maintained library streams either with
 * backpressure (exceljs buffers its archive; SheetJS builds the whole book).
 */
export type BookCellType = 'text' | 'number' | 'date' | 'datetime';

export interface BookColumn {
  header: string;
  type: BookCellType;
  width: number;
}

export type BookValue = string | number | Date | null;

export interface BookWriter {
  /** Adds a row; resolves when the output can take more (backpressure), else undefined. */
  add(values: readonly BookValue[]): Promise<void> | undefined;
  /** Writes the end of the file. */
  close(): Promise<void>;
}

/** What the writer writes to: the export's sink (a file replaced when complete, or stdout). */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void> | undefined;
}

export function xlsxWriter(sheetName: string, columns: readonly BookColumn[], sink: ByteSink): BookWriter {
  return streamingXlsxWriter(sheetName, columns, sink);
}

export function odsWriter(sheetName: string, columns: readonly BookColumn[], sink: ByteSink): BookWriter {
  return streamingOdsWriter(sheetName, columns, sink);
}
