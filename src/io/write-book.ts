import * as XLSX from '@e965/xlsx';
import { streamingXlsxWriter } from './xlsx-out.js';

/**
 * Workbooks out: one sheet of customers with typed cells. Numbers are
 * numbers, dates are dates, and everything else — postal codes, phones,
 * SIRETs, and any value starting with "=" — is a string cell, so that
 * leading zeros survive and nothing is ever a formula (the CSV formula
 * guard is not needed). The header row is frozen and filterable.
 * .xlsx is streamed with backpressure (src/io/xlsx-out.ts: flat memory at a
 * million rows); .ods is built by SheetJS in memory (no streaming ODS
 * writer exists among maintained libraries), fine for ordinary files.
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
  const rows: BookValue[][] = [columns.map((c) => c.header)];
  return {
    add: (values) => {
      rows.push(values.slice());
      return undefined;
    },
    close: async () => {
      const ws = XLSX.utils.aoa_to_sheet(rows, { cellDates: true, dateNF: 'yyyy\\-mm\\-dd' });
      ws['!cols'] = columns.map((c) => ({ wch: c.width }));
      ws['!autofilter'] = { ref: XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: 0, c: Math.max(0, columns.length - 1) } }) };
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, sheetName);
      const buf = XLSX.write(wb, { bookType: 'ods', type: 'buffer', cellDates: true }) as Buffer;
      const wait = sink.write(buf);
      if (wait) await wait;
    },
  };
}
