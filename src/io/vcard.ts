/**
 * vCard 4.0 (RFC 6350) writing: escaping, parameters, line folding. Knows
 * nothing of customers; src/core/export/vcard-cards.ts decides what goes in
 * a card.
 */

/** How a property's value is encoded. */
export type VCardValue =
  /** Free text (FN, NOTE, TITLE, EMAIL…): `\`, `,` and newlines escaped. */
  | { text: string }
  /** Compound value (N, ADR, ORG): fields separated by `;`, which is escaped inside a field. */
  | { fields: readonly (string | null | undefined)[] }
  /** A list (CATEGORIES): items separated by `,`, which is escaped inside an item (`;` is not a separator here). */
  | { list: readonly string[] }
  /** Written as given: URIs (tel:, urn:uuid:), timestamps, dates. Never user text. */
  | { raw: string };

export interface VCardProperty {
  name: string;
  params?: Readonly<Record<string, string | readonly string[]>>;
  value: VCardValue;
}

const CRLF = '\r\n';
/** RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_OCTETS = 75;

/**
 * RFC 6350 §3.4: backslash, comma and newline are escaped in every text
 * value. A semicolon is escaped only where it separates fields (N, ADR,
 * ORG): elsewhere the RFC leaves it optional and some readers (ical.js among
 * them) would keep the backslash.
 */
const NEEDS_ESCAPE = /[\\,;\r\n]/;

export function escapeText(s: string, semicolon = false): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
  if (semicolon) out = out.replace(/;/g, '\\;');
  return out;
}

function encodeValue(v: VCardValue): string {
  if ('text' in v) return escapeText(v.text);
  if ('fields' in v) return v.fields.map((f) => escapeText(f ?? '', true)).join(';');
  if ('list' in v) return v.list.map((item) => escapeText(item)).join(',');
  return v.raw;
}

/** A parameter value: quoted when it holds `:`, `;` or `,` (RFC 6350 §5); DQUOTE and newlines cannot appear. */
function paramValue(v: string): string {
  const clean = v.replace(/["\r\n]/g, ' ');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/** Cards reuse a few constant parameter sets: each is encoded once. */
const encodedParams = new WeakMap<object, string>();

function encodeParams(params: VCardProperty['params']): string {
  if (!params) return '';
  const known = encodedParams.get(params);
  if (known !== undefined) return known;
  let s = '';
  for (const [key, value] of Object.entries(params)) {
    const values = typeof value === 'string' ? [value] : value;
    if (values.length === 0) continue;
    s += `;${key.toUpperCase()}=${values.map(paramValue).join(',')}`;
  }
  encodedParams.set(params, s);
  return s;
}

/**
 * Folds a content line at 75 octets: each continuation starts with one
 * space (which counts in the 75). Never splits a UTF-8 sequence, so an
 * accent or an emoji stays whole on one line.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0) ?? 0);
    if (octets + size > limit) {
      parts.push(current);
      current = ' ';
      octets = 1;
      limit = MAX_OCTETS;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

export function propertyLine(p: VCardProperty): string {
  return foldLine(`${p.name.toUpperCase()}${encodeParams(p.params)}:${encodeValue(p.value)}`);
}

/** One card: BEGIN, VERSION:4.0, the properties, END, each line ending in CRLF. */
export function vcard(props: readonly VCardProperty[]): string {
  let s = `BEGIN:VCARD${CRLF}VERSION:4.0${CRLF}`;
  for (const p of props) s += propertyLine(p) + CRLF;
  return s + `END:VCARD${CRLF}`;
}

/** A date-time as vCard wants it in REV: 20261123T100000Z. */
const STORED_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;

export function vcardTimestamp(iso: string): string | null {
  // carnet stores instants as toISOString() writes them: cut and paste, no date arithmetic.
  const m = STORED_INSTANT.exec(iso);
  if (m) return `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6]}Z`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A date (BDAY): 1991-01-20 → 19910120 (the basic format RFC 6350 §4.3.1 uses). */
export function vcardDate(isoDate: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return m ? `${m[1]}${m[2]}${m[3]}` : null;
}
