import { countOf } from './count.js';
import { parseChunk, unclosedQuote, UnclosedQuoteError, type ParsedChunk, type ParseOptions } from './records.js';

/**
 * Records of one decoded chunk, split by hand where that is exact and
 * handed to csv-parse where it is not. A line without a quote character is
 * one record whose cells are the pieces between delimiters — which is all
 * csv-parse would do with it, at a tenth of the cost. A record with quotes
 * (a value holding the delimiter, a quote or a line break) is cut out
 * whole and parsed by csv-parse, so its values and its errors are exactly
 * csv-parse's. A chunk where quoted records are common (Outlook quotes
 * every value) goes to csv-parse whole from that point on.
 */

/** Quoted records in one chunk before the rest of it is handed to csv-parse at once. */
const QUOTED_BEFORE_BULK = 16;
const QUOTE = '"';
const CR = 13;

/**
 * Line breaks the way csv-parse reads them: it takes the first one it
 * meets (LF or CRLF) as the only record separator. Splitting by hand agrees
 * with it only when the chunk uses one kind throughout and has no bare CR.
 */
function uniformBreaks(text: string): boolean {
  if (text.indexOf('\r') === -1) return true;
  const crs = countOf(text, '\r');
  return crs === countOf(text, '\r\n') && crs === countOf(text, '\n');
}

/** End (index after the line break) of the record starting at `from` whose quotes are balanced; -1 if they never are. */
function quotedRecordEnd(text: string, from: number): number {
  let odd = 0;
  let pos = from;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    odd ^= countOf(text, QUOTE, pos, end) & 1;
    if (odd === 0) return nl === -1 ? text.length : nl + 1;
    if (nl === -1) return -1;
    pos = nl + 1;
  }
}

function append(out: ParsedChunk, part: ParsedChunk): void {
  for (let i = 0; i < part.records.length; i++) {
    out.records.push(part.records[i] as string[]);
    out.lines.push(part.lines[i] as number);
  }
}

export function parseText(text: string, opts: ParseOptions): ParsedChunk {
  const eolIsLf = opts.eol === 10;
  if (!eolIsLf || !uniformBreaks(text)) return parseChunk(Buffer.from(text, 'utf8'), opts);
  const out: ParsedChunk = { records: [], lines: [] };
  const delimiter = opts.delimiter;
  const len = text.length;
  let line = opts.firstLine;
  let pos = 0;
  let quoted = 0;
  // The next quote of the chunk, searched again only once passed (searching from each line would scan the chunk per line).
  let q = text.indexOf(QUOTE);
  while (pos < len) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? len : nl;
    if (q !== -1 && q < pos) q = text.indexOf(QUOTE, pos);
    if (q !== -1 && q < end) {
      const bulk = ++quoted > QUOTED_BEFORE_BULK;
      const stop = bulk ? -1 : quotedRecordEnd(text, pos);
      const slice = stop === -1 ? text.slice(pos) : text.slice(pos, stop);
      try {
        append(out, parseChunk(Buffer.from(slice, 'utf8'), { ...opts, firstLine: line, skipHeader: false }));
      } catch (err) {
        // Quotes that never balance from this record on: the quote opened here, not where csv-parse gave up.
        if (err instanceof UnclosedQuoteError && !bulk) throw unclosedQuote(line);
        throw err;
      }
      if (stop === -1) break;
      line += countOf(slice, '\n');
      pos = stop;
      continue;
    }
    const stopAt = end > pos && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    if (stopAt > pos) {
      out.records.push(text.slice(pos, stopAt).split(delimiter));
      out.lines.push(line);
    }
    line++;
    pos = end + 1;
  }
  if (opts.skipHeader && out.records.length > 0) {
    out.records.shift();
    out.lines.shift();
  }
  return out;
}
