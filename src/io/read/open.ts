import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputRejectedError } from '../../core/errors.js';
import { fileSource, peek, type CsvSource } from '../csv-in/source.js';
import { BookReadError, changedWhileRead } from './errors.js';
import type { BookFormat, TableBook } from './types.js';
import { ZipFile } from './zip.js';

/**
 * One door for every file: the format is recognised by its content, not its
 * name (a .csv that is really an .xlsx, or stdin): a ZIP holding
 * xl/workbook.xml is Excel 2007+, a ZIP whose mimetype is an OpenDocument
 * spreadsheet is .ods, the OLE2 compound-file signature is Excel 97–2003,
 * text starting with BEGIN:VCARD is an address book, anything else is CSV.
 * Workbooks need random access, so a workbook on stdin is first copied to a
 * private temporary file (removed when the import ends), and so does an
 * address book, read twice; CSV on stdin is read as it comes.
 */
export type Opened = { format: 'csv'; source: CsvSource } | { format: Exclude<BookFormat, 'csv'>; book: TableBook };

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** stdin spooled for a workbook: no more than this (the biggest real workbooks are far smaller). */
const MAX_SPOOL = 4 * 1024 ** 3;

/** Files that are surely not a table, by their first bytes: refused by name instead of read as a garbled CSV. */
const NOT_A_TABLE: readonly [Buffer, string, string][] = [
  [Buffer.from([0x1f, 0x8b]), 'a gzip archive', 'decompress it first: zcat FILE | carnet import -'],
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n): [Buffer, string, string] => [Buffer.from(`BZh${n}`), 'a bzip2 archive', 'decompress it first: bzcat FILE | carnet import -']),
  [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), 'an xz archive', 'decompress it first: xzcat FILE | carnet import -'],
  [Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), 'a 7-Zip archive', 'extract the file it holds, then import that'],
  [Buffer.from('Rar!\x1a\x07'), 'a RAR archive', 'extract the file it holds, then import that'],
  [Buffer.from('%PDF-'), 'a PDF document', 'export the list from the program that made the PDF as CSV or a spreadsheet'],
  [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a PNG image', 'give a CSV, .xlsx, .xls, .ods or .vcf file'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'a JPEG image', 'give a CSV, .xlsx, .xls, .ods or .vcf file'],
];

function sniffBytes(head: Buffer, name: string): 'zip' | 'ole2' | 'vcf' | 'text' {
  for (const [magic, what, hint] of NOT_A_TABLE) {
    if (head.subarray(0, magic.length).equals(magic)) throw new BookReadError(`${name} is ${what}, not a customer file`, hint);
  }
  if (head.subarray(0, 4).equals(ZIP) || head.subarray(0, 4).equals(ZIP_EMPTY)) return 'zip';
  if (head.subarray(0, 8).equals(OLE2)) return 'ole2';
  let text = head.toString('utf8', 0, Math.min(head.length, 512)).replace(/^\ufeff/, '').trimStart();
  if (head[0] === 0xff && head[1] === 0xfe) text = head.toString('utf16le', 2, Math.min(head.length, 512)).trimStart();
  return /^BEGIN:VCARD/i.test(text) ? 'vcf' : 'text';
}

function fileHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

async function sha256Of(path: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const b of createReadStream(path, { highWaterMark: 1 << 20 })) {
    h.update(b as Buffer);
    bytes += (b as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

async function openWorkbook(path: string, name: string, kind: 'zip' | 'ole2', cleanup: () => void, shownPath: string | null): Promise<TableBook> {
  const { sha256, bytes } = await sha256Of(path);
  // Each reader is loaded only for its format: a CSV import does not pay for SheetJS's start-up, nor an .xlsx for it.
  if (kind === 'ole2') {
    const { loadWithSheetJs, sheetJsPreviews, sheetJsRecords } = await import('./sheetjs.js');
    const loaded = await loadWithSheetJs(path, name, 'xls');
    return { format: 'xls', name, path: shownPath, positions: 'sheet', sheets: sheetJsPreviews(loaded), records: (s, after) => sheetJsRecords(loaded, s, after), sha256, bytes, close: cleanup };
  }
  const zip = ZipFile.open(path, name);
  if (zip.has('xl/workbook.xml')) {
    const { xlsxParts, xlsxPreviews, xlsxRecords } = await import('./xlsx.js');
    const parts = await xlsxParts(zip);
    if (parts.sheets.length === 0) throw new BookReadError(`${name} is an Excel workbook without any worksheet`);
    return { format: 'xlsx', name, path: shownPath, positions: 'sheet', sheets: await xlsxPreviews(zip, parts), records: (s, after) => xlsxRecords(zip, parts, s, after), sha256, bytes, close: cleanup };
  }
  const mimetype = zip.has('mimetype') ? (await zip.text('mimetype', 4096)).trim() : '';
  if (mimetype === 'application/vnd.oasis.opendocument.spreadsheet') {
    const { odsPreviews, odsRecords } = await import('./ods.js');
    return { format: 'ods', name, path: shownPath, positions: 'sheet', sheets: await odsPreviews(zip), records: (s, after) => odsRecords(zip, s, after), sha256, bytes, close: cleanup };
  }
  const what = mimetype.startsWith('application/vnd.oasis.opendocument.text') ? 'a text document (.odt)' : zip.has('word/document.xml') ? 'a Word document' : 'a ZIP archive';
  throw new BookReadError(`${name} is ${what}, not a spreadsheet`, 'give an .xlsx, .xls, .ods, .vcf or CSV file');
}

/**
 * An address book, read from its file twice (readVcards): its hash and size
 * come from the first pass, and a later pass that finds other bytes stops the
 * import (the file changed under it). `cleanup` removes a spooled stdin.
 */
async function openVcards(path: string, name: string, cleanup: () => void, shownPath: string | null): Promise<TableBook> {
  let sha256: string | null = null;
  let bytes = 0;
  const open = async function* (): AsyncGenerator<Buffer> {
    const h = createHash('sha256');
    let n = 0;
    for await (const b of createReadStream(path, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
      h.update(b);
      n += b.length;
      yield b;
    }
    const digest = h.digest('hex');
    if (sha256 === null) {
      sha256 = digest;
      bytes = n;
    } else if (digest !== sha256) throw changedWhileRead(name);
  };
  const { readVcards } = await import('./vcard.js');
  const v = await readVcards(open, name);
  return { format: 'vcf', name, path: shownPath, positions: 'card', sheets: [v.preview], records: () => v.records(), sha256: sha256 ?? '', bytes, close: cleanup };
}

/** Copies stdin to a private temporary file (a workbook needs random access; an address book is read twice). */
async function spool(all: AsyncIterable<Buffer>, what: string, from: string): Promise<{ path: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'carnet-stdin-'));
  const path = join(dir, 'stdin');
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  let n = 0;
  try {
    await pipeline(
      (async function* () {
        for await (const b of all) {
          n += b.length;
          if (n > MAX_SPOOL) throw new InputRejectedError(`the ${what} on ${from} is larger than 4 GB`, 'save it to a file, or export it as CSV');
          yield b;
        }
      })(),
      createWriteStream(path, { mode: 0o600 }),
    );
  } catch (err) {
    cleanup();
    throw err;
  }
  return { path, cleanup };
}

const asBook = (book: TableBook): Opened => ({ format: book.format, book });

/** Opens what `carnet import FILE|-` was given, as CSV (streamed in chunks) or as a book of records. */
export async function openInput(file: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<Opened> {
  if (file !== '-') {
    const source = fileSource(file);
    const path = source.path as string;
    // A FIFO or a shell's <(zcat clients.csv.gz) cannot be sought nor read twice: read as stdin is.
    if (!statSync(path).isFile()) return openStream(createReadStream(path), source.name);
    const kind = sniffBytes(fileHead(path, 4096), source.name);
    if (kind === 'zip' || kind === 'ole2') return asBook(await openWorkbook(path, source.name, kind, () => undefined, path));
    if (kind === 'vcf') return asBook(await openVcards(path, source.name, () => undefined, path));
    return { format: 'csv', source };
  }
  return openStream(stdin, 'stdin');
}

/** Input that comes once, as a stream (stdin, a pipe): a workbook or address book is spooled, CSV read as it comes. */
async function openStream(stream: NodeJS.ReadableStream, name: string): Promise<Opened> {
  const { head, all } = await peek(stream as AsyncIterable<Buffer>, 4096);
  const kind = sniffBytes(head, name);
  if (kind !== 'text') {
    const s = await spool(all, kind === 'vcf' ? 'address book' : 'workbook', name);
    try {
      return asBook(kind === 'vcf' ? await openVcards(s.path, name, s.cleanup, null) : await openWorkbook(s.path, name, kind, s.cleanup, null));
    } catch (err) {
      s.cleanup();
      throw err;
    }
  }
  let used = false;
  const source: CsvSource = {
    name,
    path: null,
    size: null,
    open: () => {
      if (used) throw new InputRejectedError(`${name} cannot be read twice`, 'save it to a file, or pass --encoding so that carnet does not have to guess');
      used = true;
      return all;
    },
  };
  return { format: 'csv', source };
}

/** Re-opens a CSV file (to read it again in another encoding). */
export { fileSource } from '../csv-in/source.js';
