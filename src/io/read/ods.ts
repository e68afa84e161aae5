import { StringDecoder } from 'node:string_decoder';
import { numberText } from './cells.js';
import { BookReadError } from './errors.js';
import { PREVIEW_ROWS, columnLetter, inBatches, type CellWarning, type RecordBatch, type SheetPreview, type SheetRow } from './types.js';
import { attr, decodeXml, Pending, refuseDoctype } from './xml.js';
import type { ZipFile } from './zip.js';

/**
 * OpenDocument spreadsheets (.ods) as a stream, like .xlsx (xlsx.ts):
 * content.xml is inflated and scanned row by row, never built in memory.
 * SheetJS loaded the whole book — 1.2 GB for 100,000 customers. Rows and
 * cells that LibreOffice compresses (number-rows-repeated,
 * number-columns-repeated) are given back as the copies they stand for, up
 * to a spreadsheet's last row and column; trailing empty ones cost nothing.
 * Cell text is its paragraphs joined by line breaks, with the spaces and
 * tabs text:s and text:tab stand for; comments (office:annotation) are not
 * text of the cell.
 */

const MAX_COLUMNS = 16_384;
const MAX_ROWS = 1_048_576;
/** A row (or the styles before the body) whose XML is longer than this is not a spreadsheet's. */
const MAX_TEXT = 64 << 20;
const CONTENT = 'content.xml';
/** Cells that repeated rows may add beyond their first copy, in a whole file. */
const COPIED_CELLS = 5_000_000;

const TOKEN = /<table:table(?=[\s>])([^>]*)>|<\/table:table>|<table:table-row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-row>)/g;
const CELL = /<table:(?:covered-)?table-cell\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g;
const PARAGRAPH = /<text:(?:p|h)\b[^>]*?(?:\/>|>([\s\S]*?)<\/text:(?:p|h)>)/g;

export type OdsEvent = { kind: 'table'; index: number; name: string; hidden: boolean } | ({ kind: 'row'; table: number } & SheetRow);

/** What to do with the rows of table n: read their cells, only count them, or stop reading the file. */
type Want = (table: number) => 'cells' | 'count' | 'stop';

// The attributes read for every cell and row, compiled once (attr() builds its pattern per call).
const VALUE_TYPE = /\boffice:value-type="([a-z]+)"/;
const VALUE = /\boffice:value="([^"]*)"/;
const ROWS_REPEATED = /\btable:number-rows-repeated="(\d+)"/;
const COLUMNS_REPEATED = /\btable:number-columns-repeated="(\d+)"/;
const SPACES = /\btext:c="(\d+)"/;

const repeat = (attrs: string, pattern: RegExp): number => {
  const m = attrs.length > 0 ? pattern.exec(attrs) : null;
  const n = m ? Number(m[1]) : 1;
  return Number.isInteger(n) && n > 0 ? n : 1;
};

/** A text paragraph's inner XML → its text: spaces, tabs and line breaks as they stand, other markup left out. */
function paragraphText(inner: string): string {
  if (inner.indexOf('<') < 0) return decodeXml(inner);
  const text = inner
    .replace(/<text:s\b([^>]*?)\/>/g, (_m, a: string) => ' '.repeat(Math.min(MAX_TEXT, repeat(a, SPACES))))
    .replace(/<text:tab\b[^>]*?\/>/g, '\t')
    .replace(/<text:line-break\b[^>]*?\/>/g, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeXml(text);
}

/** A string cell's inner XML → its text: its paragraphs joined by line breaks. */
function stringText(inner: string): string {
  // Most cells: one paragraph of plain text.
  if (inner.startsWith('<text:p>') && inner.endsWith('</text:p>') && inner.indexOf('<text:p', 8) < 0 && inner.indexOf('<office:annotation') < 0) {
    return paragraphText(inner.slice(8, -9));
  }
  // A comment on the cell holds paragraphs of its own: not the cell's text.
  const body = inner.indexOf('<office:annotation') >= 0 ? inner.replace(/<office:annotation\b[\s\S]*?<\/office:annotation>/g, '') : inner;
  const lines: string[] = [];
  PARAGRAPH.lastIndex = 0;
  for (let p = PARAGRAPH.exec(body); p; p = PARAGRAPH.exec(body)) lines.push(p[1] === undefined ? '' : paragraphText(p[1]));
  return lines.join('\n');
}

/** A cell's text as the import reads it, or a warning for an error cell. */
function cellText(attrs: string, inner: string | undefined, where: () => string, warn: (m: string) => void): string {
  const type = VALUE_TYPE.exec(attrs)?.[1] ?? '';
  switch (type) {
    case 'float':
    case 'percentage':
    case 'currency':
      return numberText(Number(VALUE.exec(attrs)?.[1]));
    case 'date': {
      // "2022-06-05" or "2022-06-05T14:30:00[.5]": the day, and its time when it has one.
      const v = attr(attrs, 'office:date-value') ?? '';
      const time = v.slice(11, 19);
      return time === '' || time === '00:00:00' ? v.slice(0, 10) : `${v.slice(0, 10)}T${time}`;
    }
    case 'time': {
      const m = /^PT(\d+)H(\d+)M(\d+)/.exec(attr(attrs, 'office:time-value') ?? '');
      return m ? `${(m[1] as string).padStart(2, '0')}:${m[2]}:${m[3]}` : '';
    }
    case 'boolean':
      return attr(attrs, 'office:boolean-value') === 'true' ? 'true' : 'false';
    default: {
      if (inner === undefined) return '';
      const text = stringText(inner);
      if (attrs.indexOf('calcext:value-type="error"') >= 0) {
        warn(`${where()}: error cell ${text}, left empty`);
        return '';
      }
      return text;
    }
  }
}

/** The hidden tables' style names, from content.xml's automatic styles (table:display="false"). */
function hiddenStyles(head: string): Set<string> {
  const out = new Set<string>();
  for (const m of head.matchAll(/<style:style\b([^>]*)>([\s\S]*?)<\/style:style>/g)) {
    if (attr(m[1] ?? '', 'style:family') === 'table' && /table:display="false"/.test(m[2] ?? '')) out.add(attr(m[1] ?? '', 'style:name') ?? '');
  }
  return out;
}

/** The tables and rows of content.xml, as `want` asks for them, at most `limit` rows of a table; empty rows are left out. */
export async function* contentRows(source: AsyncIterable<Buffer>, fileName: string, want: Want, limit = Infinity): AsyncGenerator<OdsEvent> {
  const decoder = new StringDecoder('utf8');
  const events: OdsEvent[] = [];
  let hidden: Set<string> | null = null;
  let table = -1;
  let wanted: ReturnType<Want> = 'count';
  let r = 1;
  let kept = 0;
  let copied = 0;
  let stop = false;
  const row = (attrs: string, inner: string | undefined): void => {
    const first = r;
    const times = repeat(attrs, ROWS_REPEATED);
    r += times;
    // A row of empty cells (LibreOffice's filler up to the last row) has no value and no text.
    if (wanted !== 'cells' || inner === undefined || (inner.indexOf('office:value-type') < 0 && inner.indexOf('<text:') < 0)) return;
    const cells: string[] = [];
    const warnings: CellWarning[] = [];
    let col = 0;
    CELL.lastIndex = 0;
    for (let c = CELL.exec(inner); c; c = CELL.exec(inner)) {
      const a = c[1] ?? '';
      const span = repeat(a, COLUMNS_REPEATED);
      const at = col;
      col += span;
      const text = cellText(a, c[2], () => `sheet ${sheetName}, row ${first}, column ${columnLetter(at)}`, (message) => warnings.push({ row: first, column: at, message }));
      if (text === '') continue;
      if (at >= MAX_COLUMNS) throw new BookReadError(`${fileName}: sheet ${sheetName}, row ${first} has a cell beyond the last column`);
      while (cells.length < at) cells.push('');
      for (let k = 0; k < span && at + k < MAX_COLUMNS; k++) cells[at + k] = text;
    }
    if (cells.length === 0 && warnings.length === 0) return;
    if (++kept >= limit) wanted = 'count';
    if (first > MAX_ROWS) throw new BookReadError(`${fileName}: sheet ${sheetName} has a row ${first}, beyond any spreadsheet's last row (${MAX_ROWS})`);
    // Repetition is compression: a few bytes could stand for billions of cells. Real files repeat
    // a few identical rows; past COPIED_CELLS the file is refused like a zip bomb.
    copied += (Math.min(times, MAX_ROWS - first + 1) - 1) * cells.length;
    if (copied > COPIED_CELLS) throw new BookReadError(`${fileName}: sheet ${sheetName} repeats rows to more than ${COPIED_CELLS.toLocaleString('en-US')} cells, which no real spreadsheet does`, 'if the file is genuine, save it as .xlsx or CSV');
    for (let k = 0; k < times && first + k <= MAX_ROWS; k++) {
      events.push({ kind: 'row', table, r: first + k, cells: k === 0 ? cells : cells.slice(), warnings: k === 0 ? warnings : warnings.map((w) => ({ ...w, row: first + k })) });
    }
  };
  let sheetName = '';
  const scan = (text: string): void => {
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(text); m && !stop; m = TOKEN.exec(text)) {
      if (m[0].startsWith('</table:table>')) continue;
      if (m[2] !== undefined) {
        if (table >= 0) row(m[2], m[3]);
        continue;
      }
      table++;
      r = 1;
      kept = 0;
      sheetName = attr(m[1] ?? '', 'table:name') ?? `Sheet${table + 1}`;
      wanted = want(table);
      if (wanted === 'stop') {
        stop = true;
        return;
      }
      events.push({ kind: 'table', index: table, name: sheetName, hidden: (hidden ?? new Set()).has(attr(m[1] ?? '', 'table:style-name') ?? '') });
    }
  };
  const pending = new Pending();
  let buf = '';
  let first = true;
  for await (const b of source) {
    const piece = decoder.write(b);
    if (first) {
      refuseDoctype(piece.slice(0, 4096), fileName, CONTENT);
      first = false;
    }
    if (hidden === null) {
      // The styles before the body, in pieces (searching one growing string would be quadratic).
      if (!pending.add(piece, '<office:body')) {
        if (pending.size > MAX_TEXT) throw new BookReadError(`${fileName}: ${CONTENT} has more than 64 MB before its body`);
        continue;
      }
      const head = pending.take();
      const body = head.indexOf('<office:body');
      hidden = hiddenStyles(head.slice(0, body));
      buf = head.slice(body);
    } else if (!pending.add(piece, '</table:table')) {
      if (pending.size > MAX_TEXT) throw new BookReadError(`${fileName}: sheet ${sheetName} has a row longer than 64 MB`);
      continue;
    } else buf += pending.take();
    // Up to the last row's end, or a table's end after it (searched only there: the text is long).
    const rowsEnd = endOf(buf, '</table:table-row>');
    const tableAt = buf.indexOf('</table:table>', rowsEnd);
    const cut = tableAt >= 0 ? tableAt + '</table:table>'.length : rowsEnd;
    if (cut === 0) continue;
    scan(buf.slice(0, cut));
    buf = buf.slice(cut);
    yield* events;
    events.length = 0;
    if (stop) return;
  }
  scan(buf + pending.take() + decoder.end());
  yield* events;
}

/** Where the last `tag` in `text` ends, or 0 when it holds none. */
function endOf(text: string, tag: string): number {
  const at = text.lastIndexOf(tag);
  return at < 0 ? 0 : at + tag.length;
}

/** The first rows of every sheet (one pass over content.xml, reading only those rows' cells). */
export async function odsPreviews(zip: ZipFile): Promise<SheetPreview[]> {
  const out: SheetPreview[] = [];
  for await (const e of contentRows(zip.stream(CONTENT), zip.name, () => 'cells', PREVIEW_ROWS)) {
    if (e.kind === 'table') out.push({ name: e.name, hidden: e.hidden, records: [], rows: [] });
    else {
      const p = out[e.table] as SheetPreview;
      if (p.records.length >= PREVIEW_ROWS) continue;
      p.records.push(e.cells);
      p.rows.push(e.r);
    }
  }
  if (out.length === 0) throw new BookReadError(`${zip.name} is an OpenDocument spreadsheet without any sheet`);
  return out;
}

/** The records of sheet `sheet` after row `afterRow`, in batches; the file is read up to that sheet's end. */
export async function* odsRecords(zip: ZipFile, sheet: number, afterRow: number): AsyncGenerator<RecordBatch> {
  yield* inBatches(rowsOf(contentRows(zip.stream(CONTENT), zip.name, (t) => (t === sheet ? 'cells' : t > sheet ? 'stop' : 'count'))), afterRow);
}

async function* rowsOf(events: AsyncIterable<OdsEvent>): AsyncGenerator<SheetRow> {
  for await (const e of events) if (e.kind === 'row') yield e;
}
