import { columnLetter } from './read/types.js';
import type { BookColumn, BookValue, BookWriter, ByteSink } from './write-book.js';
import { streamedSheet } from './sheet-stream.js';
import { xmlChars, ZipOut } from './zip-out.js';

/**
 * An .xlsx written as a stream with backpressure: the sheet's XML goes
 * through one deflate stream straight into the sink, a row at a time, so a
 * million customers cost the same memory as a hundred. (exceljs's streaming
 * writer has no backpressure: its archive buffers the sheet, 437 MB for
 * 200,000 customers.) Strings are inline (no shared-string table to hold),
 * dates are serial numbers with a date format, the header row is bold,
 * frozen and filterable, and no cell is ever a formula.
 */

/** XML text, with OOXML's own _xHHHH_ escape protected (a literal "_x0041_" stays that text). */
function xmlText(s: string): string {
  return xmlChars(s).replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
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
  return streamedSheet({
    begin: async () => {
      await zip.whole('[Content_Types].xml', CONTENT_TYPES);
      await zip.whole('_rels/.rels', ROOT_RELS);
      await zip.whole('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
      await zip.whole('xl/styles.xml', STYLES);
      const sheet = await zip.streamed('xl/worksheets/sheet1.xml');
      const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
      const header = columns.map((c, i) => `<c r="${letters[i]}1" t="inlineStr" s="${STYLE.header}"><is><t>${xmlText(c.header)}</t></is></c>`).join('');
      const head =
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
        `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData><row r="1">${header}</row>`;
      return { sheet, head };
    },
    row: (values, row) => {
      let xml = `<row r="${row}">`;
      for (let i = 0; i < columns.length; i++) xml += cell(`${letters[i]}${row}`, values[i] ?? null, (columns[i] as BookColumn).type);
      return `${xml}</row>`;
    },
    end: (rows) => ({
      tail: `</sheetData><autoFilter ref="A1:${last}${rows}"/></worksheet>`,
      after: async () => {
        await zip.whole('xl/workbook.xml', workbookXml(sheetName, `$A$1:$${last}$${rows}`));
        await zip.close();
      },
    }),
  });
}
