import { UsageError, InputRejectedError } from '../errors.js';
import { PRESET_TABLES, structuralHit } from './presets.js';
import { GENERIC_TABLE } from './synonyms.js';
import { headerKey } from './targets.js';

/**
 * Which table of a workbook is the customer list, and which row is its
 * header — read the way a person laid the sheet out: title rows, blank
 * rows and notes above the header are skipped, the header being the first
 * row where most cells are column names carnet knows (the same synonyms
 * and presets the mapping uses, and the fields of one's own). --sheet and
 * --header-row override.
 */
export interface SheetLike {
  name: string;
  hidden: boolean;
  records: string[][];
  rows: number[];
}

export interface TableChoice {
  sheet: number;
  sheetName: string;
  /** Sheet row of the header (1-based; 0 for an address book, whose columns are the reader's). */
  headerRow: number;
  header: string[];
  /** Records after the header in the preview (to recognise columns by their content). */
  sample: string[][];
  /** What the user should know: which sheet and row were taken, and how to pick others. */
  notes: string[];
}

function known(cell: string, own: ReadonlySet<string>): boolean {
  const key = headerKey(cell);
  if (key === '') return false;
  if (GENERIC_TABLE.has(key) || own.has(key) || structuralHit(key) !== null) return true;
  return Object.values(PRESET_TABLES).some((t) => t.has(key));
}

/** Index in the preview of the first row that looks like a header, or -1; `ownNames`: names and keys of the fields of one's own. */
export function headerIndex(records: readonly string[][], ownNames: readonly string[] = []): number {
  const own = new Set(ownNames.map(headerKey));
  for (let i = 0; i < records.length; i++) {
    const cells = (records[i] ?? []).filter((c) => c.trim() !== '');
    const hits = cells.filter((c) => known(c, own)).length;
    if (hits >= 2 && hits * 2 >= cells.length) return i;
  }
  return -1;
}

function findSheet(sheets: readonly SheetLike[], wanted: string): number {
  const exact = sheets.findIndex((s) => s.name === wanted);
  if (exact >= 0) return exact;
  const loose = sheets.findIndex((s) => s.name.trim().toLowerCase() === wanted.trim().toLowerCase());
  if (loose >= 0) return loose;
  if (/^\d+$/.test(wanted.trim())) {
    const n = Number(wanted.trim());
    if (n >= 1 && n <= sheets.length) return n - 1;
  }
  throw new UsageError(`--sheet ${wanted}: the workbook has no such sheet`, `its sheets are: ${sheets.map((s, i) => `${i + 1} "${s.name}"`).join(', ')}`);
}

const quote = (s: string): string => `"${s}"`;

export function chooseTable(file: string, sheets: readonly SheetLike[], opts: { sheet: string | null; headerRow: number | null; fixedHeader: boolean; ownNames?: readonly string[] }): TableChoice {
  const notes: string[] = [];
  let sheet: number;
  if (opts.sheet !== null) sheet = findSheet(sheets, opts.sheet);
  else {
    const withData = sheets.map((s, i) => ({ s, i })).filter((x) => x.s.records.length > 0);
    if (withData.length === 0) throw new InputRejectedError(`${file} holds no data: every sheet is empty`, 'check that you gave the right file');
    const visible = withData.filter((x) => !x.s.hidden);
    const pool = visible.length > 0 ? visible : withData;
    const lists = pool.filter((x) => headerIndex(x.s.records, opts.ownNames) >= 0);
    const taken = lists[0] ?? pool[0];
    sheet = (taken as { i: number }).i;
    if (lists.length > 1) {
      const others = lists.slice(1).map((x) => quote(x.s.name));
      notes.push(`sheets ${[quote(lists[0]?.s.name ?? ''), ...others].join(', ')} all look like customer lists: read ${quote(sheets[sheet]?.name ?? '')} (--sheet ${lists[1]?.s.name.includes(' ') ? quote(lists[1]?.s.name ?? '') : lists[1]?.s.name} to read another)`);
    } else if (sheets.length > 1) notes.push(`read sheet ${quote(sheets[sheet]?.name ?? '')} (of ${sheets.length}; --sheet NAME to read another)`);
  }
  const s = sheets[sheet] as SheetLike;
  if (s.records.length === 0) throw new InputRejectedError(`${file}: sheet ${quote(s.name)} is empty`, `pick another with --sheet (${sheets.map((x) => quote(x.name)).join(', ')})`);
  let at: number;
  if (opts.fixedHeader) at = 0;
  else if (opts.headerRow !== null) {
    at = s.rows.indexOf(opts.headerRow);
    if (at < 0) {
      throw new UsageError(`--header-row ${opts.headerRow}: row ${opts.headerRow} of sheet ${quote(s.name)} is empty or beyond the first rows`,
        `its first rows with data are ${s.rows.slice(0, 10).join(', ')}`);
    }
  } else {
    at = headerIndex(s.records, opts.ownNames);
    // No row looks like a customer header (a sales sheet, a list in another language): the first row, as in a CSV.
    if (at < 0) at = 0;
    else if (at > 0) notes.push(`sheet ${quote(s.name)}: header taken from row ${s.rows[at]}, the rows above it skipped (--header-row N to choose another)`);
  }
  return { sheet, sheetName: s.name, headerRow: s.rows[at] ?? 0, header: s.records[at] ?? [], sample: s.records.slice(at + 1), notes };
}
