import type { Ctx } from '../context.js';
import { columnLetter, type TableBook } from '../../io/read/types.js';
import { RejectsWriter } from '../../io/rejects.js';
import { makeRecordProcessor } from './process.js';
import { emptyOutcome, suppressedOn, tally, type Prepared, type ReadOutcome, type TableHead } from './session.js';
import { chooseTable } from './table.js';
import { SAMPLE_LIMIT, type ImportHooks, type ImportInput } from './types.js';
import { KEY } from '../fields/catalogue.js';
import { customFields } from '../fields/manage.js';

/** What was read of a workbook or address book, for the summary and `--json`. */
export interface BookInfo {
  format: TableBook['format'];
  sheet: string | null;
  headerRow: number | null;
}

/**
 * A workbook or an address book into the stage: pick the sheet and its
 * header, build the mapping from it, then hand the reader's batches of
 * records to the same row builder as CSV (on the main thread: the records
 * are already read). Messages name the sheet, row and column of a cell.
 */
export async function readBook(
  ctx: Ctx,
  input: ImportInput,
  hooks: ImportHooks,
  book: TableBook,
  prepare: (head: TableHead) => Prepared,
  rejects: { path: string | null },
  notes: string[],
): Promise<{ head: TableHead; outcome: ReadOutcome; writer: RejectsWriter | null; book: BookInfo }> {
  const cards = book.positions === 'card';
  if (cards && (input.sheet || input.headerRow)) notes.push('--sheet and --header-row apply to workbooks: an address book has one table of cards');
  const choice = chooseTable(book.name, book.sheets, { sheet: cards ? null : (input.sheet ?? null), headerRow: cards ? null : (input.headerRow ?? null), fixedHeader: cards, ownNames: customFields(ctx).flatMap((d) => [d.name, d.key]) });
  notes.push(...choice.notes);
  const head: TableHead = {
    header: choice.header,
    sample: choice.sample,
    delimiter: ',',
    encoding: { encoding: 'utf-8', bomLength: 0, how: 'detected', sawNonAscii: false },
    eol: 'lf',
  };
  const p = prepare(head);
  p.resetStage();
  const writer = rejects.path ? new RejectsWriter(rejects.path, p.rejectsHeader, ',') : null;
  const headers = p.rejectsHeader;
  const cell = (column: number | null | undefined): string =>
    column === null || column === undefined || column < 0 ? '' : cards ? ` (${headers[column] ?? column + 1})` : `, column ${columnLetter(column)} (${headers[column] ?? ''})`;
  const where = (row: number, column: number | null | undefined): string => (cards ? `card at line ${row}${cell(column)}` : `sheet ${choice.sheetName}, row ${row}${cell(column)}`);
  const place = (row: number, field: string): string => where(row, p.columnOf?.(field));
  const build = makeRecordProcessor(p.init, suppressedOn(ctx));
  const zeros = restoreLeadingZeros(p, input.country);
  const outcome = emptyOutcome();
  outcome.stats = { sha256: book.sha256, bytes: book.bytes };
  let index = 0;
  let rows = 0;
  for await (const batch of book.records(choice.sheet, choice.headerRow)) {
    for (const w of batch.warnings) {
      outcome.warningCount++;
      if (outcome.warnings.length < SAMPLE_LIMIT) outcome.warnings.push({ line: w.row, field: headers[w.column] ?? '', message: w.message.replace(/^[^:]*: /, ''), place: where(w.row, w.column) });
    }
    if (zeros) for (const r of batch.records) zeros(r);
    const b = build(index++, batch.records, batch.rows);
    p.stage(b);
    tally(outcome, b, writer, place);
    rows += b.read;
    hooks.onProgress?.({ bytes: 0, totalBytes: null, rows });
  }
  p.endStage();
  return { head, outcome, writer, book: { format: book.format, sheet: cards ? null : choice.sheetName, headerRow: cards ? null : choice.headerRow } };
}

const FRENCH = /^(fr|fra|france)$/i;

/**
 * A French postal code typed as a number lost its leading zero (01000 →
 * 1000): in a workbook, a 4-digit postal code in a row with no country or
 * a French one gets it back, unless --country says the file is from
 * elsewhere (Belgian and Swiss codes have 4 digits). A CSV keeps the text
 * the user wrote, so this is for workbooks only.
 */
function restoreLeadingZeros(p: Prepared, country: string | null): ((record: string[]) => void) | null {
  if (country !== null && !FRENCH.test(country.trim())) return null;
  const postal = p.columnOf?.(KEY.postalCode) ?? null;
  if (postal === null) return null;
  const countryCol = p.columnOf?.(KEY.country) ?? null;
  return (record) => {
    const v = record[postal];
    if (v === undefined || v.length !== 4 || !/^\d{4}$/.test(v)) return;
    const c = countryCol === null ? '' : (record[countryCol] ?? '').trim();
    if (c === '' || FRENCH.test(c)) record[postal] = `0${v}`;
  };
}
