import { columnLetter } from './read/types.js';
import type { BookColumn, BookValue, BookWriter, ByteSink } from './write-book.js';
import { streamedSheet } from './sheet-stream.js';
import { xmlChars, ZipOut } from './zip-out.js';

/**
 * An .ods (OpenDocument spreadsheet) written as a stream with backpressure,
 * like the .xlsx (xlsx-out.ts): the mimetype first and stored, as ODF
 * packaging asks, then content.xml deflated a row at a time. SheetJS built
 * the whole sheet in memory and stored it uncompressed: 100,000 customers
 * took 2.5 GB and made a 286 MB file. Numbers are float cells, dates date
 * cells with an ISO date style, everything else a string (never a formula);
 * the header row is bold, frozen (settings.xml) and filterable (a database
 * range with filter buttons); columns have the export's widths.
 */

const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  fo: 'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0',
  number: 'urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0',
  config: 'urn:oasis:names:tc:opendocument:xmlns:config:1.0',
  manifest: 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0',
} as const;
const xmlns = (...names: (keyof typeof NS)[]): string => names.map((n) => `xmlns:${n}="${NS[n]}"`).join(' ');

const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest ${xmlns('manifest')} manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="${MIMETYPE}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/></manifest:manifest>`;

const STYLES = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles ${xmlns('office', 'style')} office:version="1.2"><office:styles/></office:document-styles>`;

/** An attribute value: text escaped, quotes too. */
const attr = (s: string): string => xmlChars(s).replace(/"/g, '&quot;');

/** The header row frozen: LibreOffice's view settings (rows above VerticalSplitPosition stay). */
function settingsXml(sheetName: string): string {
  const item = (name: string, type: string, value: string | number): string => `<config:config-item config:name="${name}" config:type="${type}">${value}</config:config-item>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document-settings ${xmlns('office', 'config')} office:version="1.2"><office:settings><config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>${item('ViewId', 'string', 'view1')}<config:config-item-map-named config:name="Tables"><config:config-item-map-entry config:name="${attr(sheetName)}">${item('VerticalSplitMode', 'short', 2)}${item('VerticalSplitPosition', 'int', 1)}${item('ActiveSplitRange', 'short', 2)}${item('PositionTop', 'int', 0)}${item('PositionBottom', 'int', 1)}</config:config-item-map-entry></config:config-item-map-named>${item('ActiveTable', 'string', attr(sheetName))}</config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set></office:settings></office:document-settings>`;
}

/** Cell styles: dates, dates with a time, the bold header. Column styles are co<i>, one per column. */
function automaticStyles(columns: readonly BookColumn[]): string {
  const d = '<number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>';
  const t = '<number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/>';
  // A width in characters, as the .xlsx gives it: about 0.2 cm a character of the default font.
  const cols = columns.map((c, i) => `<style:style style:name="co${i}" style:family="table-column"><style:table-column-properties style:column-width="${(c.width * 0.2).toFixed(2)}cm"/></style:style>`).join('');
  return `<office:automatic-styles><number:date-style style:name="N1">${d}</number:date-style><number:date-style style:name="N2">${d}${t}</number:date-style><style:style style:name="date" style:family="table-cell" style:data-style-name="N1"/><style:style style:name="datetime" style:family="table-cell" style:data-style-name="N2"/><style:style style:name="header" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>${cols}</office:automatic-styles>`;
}

/**
 * A text cell's paragraphs: a line break starts a paragraph (as LibreOffice
 * writes a cell of several lines), and spaces that XML would collapse — a
 * run of them, or one at either end — are text:s elements.
 */
function paragraphs(s: string): string {
  return s
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const text = xmlChars(line)
        .replace(/\t/g, '<text:tab/>')
        .replace(/ {2,}/g, (run) => ` <text:s text:c="${run.length - 1}"/>`)
        .replace(/^ /, '<text:s/>')
        .replace(/ $/, '<text:s/>');
      return `<text:p>${text}</text:p>`;
    })
    .join('');
}

function cell(v: BookValue, type: BookColumn['type']): string {
  if (v === null || v === '' || (typeof v === 'number' && !Number.isFinite(v))) return '<table:table-cell/>';
  if (typeof v === 'number') return `<table:table-cell office:value-type="float" office:value="${v}"><text:p>${v}</text:p></table:table-cell>`;
  if (v instanceof Date) {
    const iso = v.toISOString();
    const value = type === 'datetime' ? iso.slice(0, 19) : iso.slice(0, 10);
    const shown = type === 'datetime' ? value.replace('T', ' ') : value;
    return `<table:table-cell table:style-name="${type === 'datetime' ? 'datetime' : 'date'}" office:value-type="date" office:date-value="${value}"><text:p>${shown}</text:p></table:table-cell>`;
  }
  return `<table:table-cell office:value-type="string">${paragraphs(v)}</table:table-cell>`;
}

export function streamingOdsWriter(sheetName: string, columns: readonly BookColumn[], sink: ByteSink): BookWriter {
  const zip = new ZipOut(sink);
  return streamedSheet({
    begin: async () => {
      await zip.whole('mimetype', MIMETYPE, true);
      await zip.whole('META-INF/manifest.xml', MANIFEST);
      await zip.whole('styles.xml', STYLES);
      await zip.whole('settings.xml', settingsXml(sheetName));
      const sheet = await zip.streamed('content.xml');
      const header = columns.map((c) => `<table:table-cell table:style-name="header" office:value-type="string">${paragraphs(c.header)}</table:table-cell>`).join('');
      const head =
        `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content ${xmlns('office', 'style', 'text', 'table', 'fo', 'number')} office:version="1.2">` +
        `${automaticStyles(columns)}<office:body><office:spreadsheet><table:table table:name="${attr(sheetName)}">` +
        columns.map((_c, i) => `<table:table-column table:style-name="co${i}"/>`).join('') +
        `<table:table-header-rows><table:table-row>${header}</table:table-row></table:table-header-rows>`;
      return { sheet, head };
    },
    row: (values) => {
      let xml = '<table:table-row>';
      for (let i = 0; i < columns.length; i++) xml += cell(values[i] ?? null, (columns[i] as BookColumn).type);
      return `${xml}</table:table-row>`;
    },
    end: (rows) => {
      const name = `'${sheetName.replace(/'/g, "''")}'`;
      const range = `${name}.A1:${name}.${columnLetter(Math.max(0, columns.length - 1))}${rows}`;
      return {
        tail: `</table:table><table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" table:target-range-address="${attr(range)}" table:display-filter-buttons="true"/></table:database-ranges></office:spreadsheet></office:body></office:document-content>`,
        after: () => zip.close(),
      };
    },
  });
}
