import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import * as cptable from '@e965/xlsx/dist/cpexcel.full.mjs';
import { isDateFormat, numberText, serialToIso } from './cells.js';
import { BookReadError } from './errors.js';
import { BATCH_RECORDS, PREVIEW_ROWS, columnLetter, type CellWarning, type RecordBatch, type SheetPreview } from './types.js';

/**
 * Excel 97–2003 (.xls) through SheetJS 0.20.3 (the maintained release; the
 * registry's xlsx@0.18.5 has known unfixed vulnerabilities). SheetJS reads
 * a whole file into memory, so the file is bounded first: an .xls cannot
 * hold more than 65,536 rows anyway. (.xlsx and .ods are streamed by
 * readers of our own, xlsx.ts and ods.ts.)
 */
XLSX.set_cptable(cptable);

/** Beyond this an .xls is not a real one (65,536 rows × 256 columns of BIFF8 stay far below). */
const MAX_XLS_BYTES = 256 << 20;

interface Loaded {
  names: string[];
  hidden: boolean[];
  rows: RowsOf[];
}

interface RowsOf {
  records: string[][];
  rows: number[];
  warnings: CellWarning[];
}

type Cell = XLSX.CellObject;

function cellText(c: Cell | undefined, date1904: boolean, where: () => string, warn: (m: string) => void): string {
  if (!c) return '';
  switch (c.t) {
    case 's':
      return typeof c.v === 'string' ? c.v : String(c.v ?? '');
    case 'b':
      return c.v ? 'true' : 'false';
    case 'e':
      warn(`${where()}: error cell ${c.w ?? XLSX.utils.format_cell(c)}, left empty`);
      return '';
    case 'd':
      return c.v instanceof Date ? c.v.toISOString().slice(0, 10) : String(c.v ?? '');
    case 'n': {
      const n = c.v as number;
      const fmt = typeof c.z === 'string' ? c.z : undefined;
      if (fmt !== undefined && isDateFormat(-1, fmt)) return serialToIso(n, date1904) ?? numberText(n);
      return numberText(n);
    }
    default:
      return '';
  }
}

function readSheet(ws: XLSX.WorkSheet, name: string, date1904: boolean): RowsOf {
  const out: RowsOf = { records: [], rows: [], warnings: [] };
  const data = (ws['!data'] ?? []) as (Cell[] | undefined)[];
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!row) continue;
    const cells: string[] = [];
    const warnings: CellWarning[] = [];
    for (let c = 0; c < row.length; c++) {
      const text = cellText(row[c], date1904, () => `sheet ${name}, row ${r + 1}, column ${columnLetter(c)}`, (message) => warnings.push({ row: r + 1, column: c, message }));
      if (text !== '') {
        while (cells.length < c) cells.push('');
        cells[c] = text;
      }
    }
    if (cells.length === 0 && warnings.length === 0) continue;
    out.records.push(cells);
    out.rows.push(r + 1);
    out.warnings.push(...warnings);
  }
  return out;
}

export async function loadWithSheetJs(path: string, name: string, format: 'xls'): Promise<Loaded> {
  const buf = readFileSync(path);
  if (buf.length > MAX_XLS_BYTES) {
    throw new BookReadError(`${name} is larger than ${MAX_XLS_BYTES >> 20} MB, which no real .xls is`, 'save it as .xlsx or CSV');
  }
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(buf, { type: 'buffer', dense: true, cellDates: false, cellNF: true, cellFormula: false, cellHTML: false, cellStyles: false });
  } catch (err) {
    throw new BookReadError(`${name} is not a readable ${format === 'xls' ? 'Excel 97–2003 workbook' : format} (${(err as Error).message})`);
  }
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const sheetsMeta = wb.Workbook?.Sheets ?? [];
  return {
    names: wb.SheetNames,
    hidden: wb.SheetNames.map((_n, i) => Boolean(sheetsMeta[i]?.Hidden)),
    rows: wb.SheetNames.map((n) => readSheet(wb.Sheets[n] as XLSX.WorkSheet, n, date1904)),
  };
}

export function sheetJsPreviews(l: Loaded): SheetPreview[] {
  return l.names.map((name, i) => {
    const r = l.rows[i] as RowsOf;
    return { name, hidden: l.hidden[i] ?? false, records: r.records.slice(0, PREVIEW_ROWS), rows: r.rows.slice(0, PREVIEW_ROWS) };
  });
}

export async function* sheetJsRecords(l: Loaded, sheet: number, afterRow: number): AsyncGenerator<RecordBatch> {
  const r = l.rows[sheet];
  if (!r) return;
  let batch: RecordBatch = { records: [], rows: [], warnings: [] };
  const warnings = r.warnings.filter((w) => w.row > afterRow);
  let wi = 0;
  for (let i = 0; i < r.records.length; i++) {
    const row = r.rows[i] as number;
    if (row <= afterRow) continue;
    batch.records.push(r.records[i] as string[]);
    batch.rows.push(row);
    while (wi < warnings.length && (warnings[wi] as CellWarning).row <= row) batch.warnings.push(warnings[wi++] as CellWarning);
    if (batch.records.length >= BATCH_RECORDS) {
      yield batch;
      batch = { records: [], rows: [], warnings: [] };
    }
  }
  if (batch.records.length > 0) yield batch;
}
