import { BookReadError } from './errors.js';

/**
 * The little XML that spreadsheet parts need, read with regular
 * expressions over text that spreadsheet programs write in a fixed shape.
 * Only the five predefined entities and character references are decoded:
 * a part that declares its own (<!DOCTYPE, <!ENTITY — the "billion laughs")
 * is refused, since no spreadsheet program writes one.
 */
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** OOXML's escape for characters XML cannot hold (ST_Xstring): _x000D_ is a carriage return. */
const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

function entity(_m: string, name: string): string {
  if (name[0] !== '#') return NAMED[name] ?? '';
  const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

export function decodeXml(s: string): string {
  let out = s.indexOf('&') >= 0 ? s.replace(ENTITY, entity) : s;
  if (out.indexOf('_x') >= 0) out = out.replace(OOXML_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return out;
}

/** Refuses a part that declares a document type or entities (an entity bomb, or worse, external entities). */
export function refuseDoctype(head: string, file: string, part: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(head)) {
    throw new BookReadError(`${file}: ${part} declares XML entities, which no spreadsheet program writes (an entity bomb?): refused`);
  }
}

/** The value of attribute `name` in a tag's attribute text, decoded; undefined when absent. */
export function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs);
  return m ? decodeXml(m[1] as string) : undefined;
}

/** The text of every <t> of a shared or inline string, runs joined, phonetic guides (<rPh>) left out. */
export function stringItemText(inner: string): string {
  const body = inner.indexOf('<rPh') >= 0 ? inner.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : inner;
  let out = '';
  const re = /<t\b[^>]*?(?:\/>|>([^<]*)<\/t>)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) out += m[1] ?? '';
  return decodeXml(out);
}

/** Decoded text waiting for an end tag: pieces, and the few characters an end tag may straddle. */
export class Pending {
  private parts: string[] = [];
  private tail = '';
  size = 0;

  /** Adds a piece; true when the text now holds `endTag` (searched in the new piece and the tail only). */
  add(piece: string, endTag: string): boolean {
    this.parts.push(piece);
    this.size += piece.length;
    const probe = this.tail + piece;
    this.tail = probe.slice(-(endTag.length - 1));
    return probe.indexOf(endTag) >= 0;
  }

  take(): string {
    const s = this.parts.join('');
    this.parts = [];
    this.tail = '';
    this.size = 0;
    return s;
  }
}
