import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import { columnLetter } from './read/types.js';
import type { BookColumn, BookValue, BookWriter, ByteSink } from './write-book.js';

/**
 * An .xlsx written as a stream with backpressure: the sheet's XML goes
 * through one deflate stream straight into the sink, a row at a time, so a
 * million customers cost the same memory as a hundred. (exceljs's streaming
 * writer has no backpressure: its archive buffers the sheet, 437 MB for
 * 200,000 customers.) Strings are inline (no shared-string table to hold),
 * dates are serial numbers with a date format, the header row is bold,
 * frozen and filterable, and no cell is ever a formula.
 */

const CRC_TABLE = new Int32Array(256).map((_v, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(buf: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < buf.length; i++) c = (CRC_TABLE[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

interface Entry {
  name: Buffer;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

/** A ZIP written front to back: whole small entries, one streamed entry (sizes in a data descriptor). */
class ZipOut {
  private offset = 0;
  private readonly entries: Entry[] = [];
  constructor(private readonly sink: ByteSink) {}

  private async put(b: Uint8Array): Promise<void> {
    this.offset += b.length;
    const wait = this.sink.write(b);
    if (wait) await wait;
  }

  private header(name: Buffer, streamed: boolean, crc: number, csize: number, usize: number): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(streamed ? 0x0808 : 0x0800, 6); // UTF-8 names; bit 3: sizes after the data
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(csize, 18);
    h.writeUInt32LE(usize, 22);
    h.writeUInt16LE(name.length, 26);
    return h;
  }

  async whole(nameText: string, text: string): Promise<void> {
    const name = Buffer.from(nameText, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const body = deflateRawSync(data);
    const e: Entry = { name, crc: crc32(data), csize: body.length, usize: data.length, offset: this.offset };
    this.entries.push(e);
    await this.put(Buffer.concat([this.header(name, false, e.crc, e.csize, e.usize), name, body]));
  }

  /** Starts a streamed entry; write text to it, then end() it. */
  async streamed(nameText: string): Promise<{ write: (text: string) => Promise<void> | undefined; end: () => Promise<void> }> {
    const name = Buffer.from(nameText, 'utf8');
    const e: Entry = { name, crc: 0, csize: 0, usize: 0, offset: this.offset };
    this.entries.push(e);
    await this.put(Buffer.concat([this.header(name, true, 0, 0, 0), name]));
    const deflate = createDeflateRaw({ level: 6 });
    const pump = (async () => {
      for await (const chunk of deflate) {
        e.csize += (chunk as Buffer).length;
        await this.put(chunk as Buffer);
      }
    })();
    return {
      write: (text) => {
        const data = Buffer.from(text, 'utf8');
        e.crc = crc32(data, e.crc);
        e.usize += data.length;
        if (deflate.write(data)) return undefined;
        return new Promise((resolve) => deflate.once('drain', () => resolve()));
      },
      end: async () => {
        deflate.end();
        await pump;
        const d = Buffer.alloc(16);
        d.writeUInt32LE(0x08074b50, 0);
        d.writeUInt32LE(e.crc, 4);
        d.writeUInt32LE(e.csize, 8);
        d.writeUInt32LE(e.usize, 12);
        await this.put(d);
      },
    };
  }

  async close(): Promise<void> {
    const start = this.offset;
    const dir: Buffer[] = [];
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0800, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(e.csize, 20);
      c.writeUInt32LE(e.usize, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE(e.offset, 42);
      dir.push(c, e.name);
    }
    const cd = Buffer.concat(dir);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(start, 16);
    await this.put(Buffer.concat([cd, end]));
  }
}

/** Characters XML 1.0 cannot hold are dropped; the five specials escaped; OOXML's _xHHHH_ escape protected. */
function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
/** Cell styles (cellXfs order below): 0 plain, 1 date, 2 date and time, 3 bold header. */
const STYLE = { date: 1, datetime: 2, header: 3 } as const;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

function workbookXml(sheetName: string, filterRef: string): string {
  const name = xmlText(sheetName);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${name.replace(/'/g, "''")}'!${filterRef}</definedName></definedNames></workbook>`;
}

function cell(ref: string, v: BookValue, type: BookColumn['type']): string {
  if (v === null || v === '') return '';
  if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"><v>${v}</v></c>` : '';
  if (v instanceof Date) {
    const serial = (v.getTime() - EPOCH_1900) / DAY_MS;
    return `<c r="${ref}" s="${type === 'datetime' ? STYLE.datetime : STYLE.date}"><v>${serial}</v></c>`;
  }
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(v)}</t></is></c>`;
}

export function streamingXlsxWriter(sheetName: string, columns: readonly BookColumn[], sink: ByteSink): BookWriter {
  const zip = new ZipOut(sink);
  const letters = columns.map((_c, i) => columnLetter(i));
  const last = letters[letters.length - 1] ?? 'A';
  let sheet: Awaited<ReturnType<ZipOut['streamed']>> | null = null;
  let row = 1;
  let buf = '';
  const start = async (): Promise<void> => {
    await zip.whole('[Content_Types].xml', CONTENT_TYPES);
    await zip.whole('_rels/.rels', ROOT_RELS);
    await zip.whole('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
    await zip.whole('xl/styles.xml', STYLES);
    sheet = await zip.streamed('xl/worksheets/sheet1.xml');
    const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
    const head = columns.map((c, i) => `<c r="${letters[i]}1" t="inlineStr" s="${STYLE.header}"><is><t>${xmlText(c.header)}</t></is></c>`).join('');
    buf =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
      `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData><row r="1">${head}</row>`;
  };
  let started: Promise<void> | null = null;
  const flush = (): Promise<void> | undefined => {
    const text = buf;
    buf = '';
    return sheet?.write(text);
  };
  return {
    add: (values) => {
      if (!started) {
        started = start();
        return started.then(() => {
          add(values);
        });
      }
      return add(values);
    },
    close: async () => {
      if (!started) started = start();
      await started;
      buf += `</sheetData><autoFilter ref="A1:${last}${row}"/></worksheet>`;
      const wait = flush();
      if (wait) await wait;
      await (sheet as NonNullable<typeof sheet>).end();
      await zip.whole('xl/workbook.xml', workbookXml(sheetName, `$A$1:$${last}$${row}`));
      await zip.close();
    },
  };

  function add(values: readonly BookValue[]): Promise<void> | undefined {
    row++;
    let xml = `<row r="${row}">`;
    for (let i = 0; i < columns.length; i++) xml += cell(`${letters[i]}${row}`, values[i] ?? null, (columns[i] as BookColumn).type);
    buf += `${xml}</row>`;
    return buf.length >= 1 << 16 ? flush() : undefined;
  }
}
