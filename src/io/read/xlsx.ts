import { StringDecoder } from 'node:string_decoder';
import { isDateFormat, numberText, serialToIso } from './cells.js';
import { BookReadError } from './errors.js';
import { PREVIEW_ROWS, columnLetter, inBatches, type CellWarning, type RecordBatch, type SheetPreview, type SheetRow } from './types.js';
import { attr, decodeXml, Pending, refuseDoctype, stringItemText } from './xml.js';
import type { ZipFile } from './zip.js';

/**
 * Excel 2007+ (.xlsx, .xlsm) as a stream: the sheet's XML is inflated and
 * scanned row by row, never built in memory, so a 1,048,576-row sheet
 * costs what its shared strings cost. The declared dimension is ignored
 * (cells are placed by their own references), so a forged "A1:XFD1048576"
 * allocates nothing.
 */

const MAX_COLUMNS = 16_384;
const MAX_ROWS = 1_048_576;
/** A row whose XML is longer than this without closing is not a spreadsheet row. */
const MAX_ROW_TEXT = 64 << 20;

interface SheetRef {
  name: string;
  path: string;
  hidden: boolean;
}

export interface XlsxParts {
  sheets: SheetRef[];
  date1904: boolean;
  dateStyles: boolean[];
  strings: string[];
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `xl/${target}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

async function part(zip: ZipFile, name: string): Promise<string> {
  const text = await zip.text(name);
  refuseDoctype(text.slice(0, 4096), zip.name, name);
  return text;
}

/** Which cell styles are dates: cellXfs → numFmtId → built-in or custom date format. */
function dateStylesOf(styles: string): boolean[] {
  const codes = new Map<number, string>();
  for (const m of styles.matchAll(/<numFmt\b([^>]*?)\/?>/g)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId'));
    const code = attr(m[1] ?? '', 'formatCode');
    if (Number.isFinite(id) && code !== undefined) codes.set(id, code);
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  const out: boolean[] = [];
  for (const m of xfs.matchAll(/<xf\b([^>]*?)\/?>/g)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId') ?? '0');
    out.push(isDateFormat(id, codes.get(id)));
  }
  return out;
}

async function sharedStrings(zip: ZipFile, path: string): Promise<string[]> {
  const out: string[] = [];
  if (!zip.has(path)) return out;
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let first = true;
  const re = /<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g;
  const take = (text: string): void => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] === undefined ? '' : stringItemText(m[1]));
  };
  const pending = new Pending();
  for await (const b of zip.stream(path)) {
    const piece = decoder.write(b);
    if (first) {
      refuseDoctype(piece.slice(0, 4096), zip.name, path);
      first = false;
    }
    if (!pending.add(piece, '</si>')) {
      if (pending.size > MAX_ROW_TEXT) throw new BookReadError(`${zip.name}: a shared string is longer than 64 MB`);
      continue;
    }
    buf = buf + pending.take();
    const cut = buf.lastIndexOf('</si>');
    take(buf.slice(0, cut + 5));
    buf = buf.slice(cut + 5);
  }
  take(buf + pending.take() + decoder.end());
  return out;
}

/** Reads what every sheet needs: the sheet list, the date system, which styles are dates, the shared strings. */
export async function xlsxParts(zip: ZipFile): Promise<XlsxParts> {
  const workbook = await part(zip, 'xl/workbook.xml');
  const rels = zip.has('xl/_rels/workbook.xml.rels') ? await part(zip, 'xl/_rels/workbook.xml.rels') : '';
  const targets = new Map<string, { target: string; type: string }>();
  for (const m of rels.matchAll(/<Relationship\b([^>]*?)\/?>/g)) {
    const a = m[1] ?? '';
    const id = attr(a, 'Id');
    const target = attr(a, 'Target');
    if (id && target) targets.set(id, { target: resolveTarget(target), type: attr(a, 'Type') ?? '' });
  }
  const sheets: SheetRef[] = [];
  for (const m of workbook.matchAll(/<sheet\b([^>]*?)\/?>/g)) {
    const a = m[1] ?? '';
    const rid = /\br:id="([^"]*)"|\bid="([^"]*)"/.exec(a);
    const t = targets.get(rid?.[1] ?? rid?.[2] ?? '');
    if (!t || !zip.has(t.target)) continue; // a chart sheet, or a sheet the archive lacks
    if (t.type && !t.type.endsWith('/worksheet')) continue;
    sheets.push({ name: attr(a, 'name') ?? `Sheet${sheets.length + 1}`, path: t.target, hidden: (attr(a, 'state') ?? 'visible') !== 'visible' });
  }
  const pr = /<workbookPr\b([^>]*?)\/?>/.exec(workbook)?.[1] ?? '';
  const d1904 = attr(pr, 'date1904');
  const sst = [...targets.values()].find((t) => t.type.endsWith('/sharedStrings'))?.target ?? 'xl/sharedStrings.xml';
  const styles = zip.has('xl/styles.xml') ? await part(zip, 'xl/styles.xml') : '';
  return { sheets, date1904: d1904 === '1' || d1904 === 'true', dateStyles: dateStylesOf(styles), strings: await sharedStrings(zip, sst) };
}

function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
const ROW = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
const REF = /\br="([A-Z]+)(\d*)"/;
const TYPE = /\bt="(\w+)"/;
const STYLE = /\bs="(\d+)"/;
const VALUE = /<v>([^<]*)<\/v>/;

/** One cell's text, or a warning for an error cell or a formula without a cached value. */
function cellText(p: XlsxParts, attrs: string, inner: string | undefined, where: () => string, warn: (m: string) => void): string {
  const t = TYPE.exec(attrs)?.[1] ?? 'n';
  if (inner === undefined) return '';
  if (t === 'inlineStr') return stringItemText(inner);
  const v = VALUE.exec(inner)?.[1];
  if (v === undefined) {
    if (inner.indexOf('<f') >= 0) warn(`${where()}: formula without a saved result, left empty (open and save the file in the spreadsheet to compute it)`);
    return '';
  }
  switch (t) {
    case 's':
      return p.strings[Number(v)] ?? '';
    case 'str':
      return decodeXml(v);
    case 'b':
      return v === '1' ? 'true' : 'false';
    case 'e':
      warn(`${where()}: error cell ${decodeXml(v)}, left empty`);
      return '';
    case 'd':
      return v.endsWith('T00:00:00') || v.length === 10 ? v.slice(0, 10) : v;
    default: {
      const n = Number(v);
      if (!Number.isFinite(n)) return decodeXml(v);
      const s = STYLE.exec(attrs);
      if (s && p.dateStyles[Number(s[1])]) return serialToIso(n, p.date1904) ?? numberText(n);
      return numberText(n);
    }
  }
}

/** The rows of one sheet as they come out of the archive; empty rows are left out. */
async function* sheetRows(zip: ZipFile, p: XlsxParts, sheet: SheetRef): AsyncGenerator<SheetRow> {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let first = true;
  let nextRow = 1;
  const rows: SheetRow[] = [];
  const scan = (text: string): void => {
    ROW.lastIndex = 0;
    for (let m = ROW.exec(text); m; m = ROW.exec(text)) {
      const rAttr = /\br="(\d+)"/.exec(m[1] ?? '');
      const r = rAttr ? Number(rAttr[1]) : nextRow;
      nextRow = r + 1;
      if (r > MAX_ROWS) throw new BookReadError(`${zip.name}: sheet ${sheet.name} has a row ${r}, beyond any spreadsheet's last row (${MAX_ROWS})`);
      const inner = m[2];
      if (inner === undefined || inner.length === 0) continue;
      const cells: string[] = [];
      const warnings: CellWarning[] = [];
      let col = 0;
      CELL.lastIndex = 0;
      for (let c = CELL.exec(inner); c; c = CELL.exec(inner)) {
        const attrs = c[1] ?? '';
        const ref = REF.exec(attrs);
        const at = ref ? columnIndex(ref[1] as string) : col;
        if (at >= MAX_COLUMNS || at < 0) throw new BookReadError(`${zip.name}: sheet ${sheet.name}, row ${r} has a cell beyond the last column (XFD)`);
        col = at + 1;
        const text = cellText(p, attrs, c[2], () => `sheet ${sheet.name}, row ${r}, column ${columnLetter(at)}`, (message) => warnings.push({ row: r, column: at, message }));
        if (text !== '') {
          while (cells.length < at) cells.push('');
          cells[at] = text;
        }
      }
      if (cells.length > 0 || warnings.length > 0) rows.push({ r, cells, warnings });
    }
  };
  // Text without a row's end yet is kept in pieces and joined once one arrives: appending to
  // one string and searching it per chunk would copy it again and again (quadratic).
  const pending = new Pending();
  for await (const b of zip.stream(sheet.path)) {
    const piece = decoder.write(b);
    if (first) {
      refuseDoctype(piece.slice(0, 4096), zip.name, sheet.path);
      first = false;
    }
    if (!pending.add(piece, '</row>')) {
      if (pending.size > MAX_ROW_TEXT) throw new BookReadError(`${zip.name}: sheet ${sheet.name} has a row longer than 64 MB`);
      continue;
    }
    buf = buf + pending.take();
    const cut = buf.lastIndexOf('</row>');
    scan(buf.slice(0, cut + 6));
    buf = buf.slice(cut + 6);
    for (const row of rows) yield row;
    rows.length = 0;
  }
  scan(buf + pending.take() + decoder.end());
  for (const row of rows) yield row;
}

export async function xlsxPreviews(zip: ZipFile, p: XlsxParts): Promise<SheetPreview[]> {
  const out: SheetPreview[] = [];
  for (const s of p.sheets) {
    const records: string[][] = [];
    const rows: number[] = [];
    for await (const row of sheetRows(zip, p, s)) {
      records.push(row.cells);
      rows.push(row.r);
      if (records.length >= PREVIEW_ROWS) break;
    }
    out.push({ name: s.name, hidden: s.hidden, records, rows });
  }
  return out;
}

export async function* xlsxRecords(zip: ZipFile, p: XlsxParts, sheet: number, afterRow: number): AsyncGenerator<RecordBatch> {
  const s = p.sheets[sheet];
  if (s) yield* inBatches(sheetRows(zip, p, s), afterRow);
}
