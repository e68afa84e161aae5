import iconv from 'iconv-lite';
import { BookReadError } from './errors.js';
import { BATCH_RECORDS, PREVIEW_ROWS, type RecordBatch, type SheetPreview } from './types.js';

/**
 * vCard 2.1, 3.0 and 4.0 address books → one record per card, in columns
 * named after the vCard properties ("EMAIL", "TEL (cell)", "ADR locality"…).
 * This file knows the format only; which property feeds which customer
 * field is the `vcard` import preset's business. Folded lines are unfolded,
 * vCard 2.1's quoted-printable values (with their soft line breaks) and
 * CHARSET parameters decoded; photos, logos, sounds and keys are skipped
 * line by line, never decoded nor kept.
 */

/** Properties whose values are binary blobs: skipped as they stream by. */
const BLOBS = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
/** Properties that describe the card, not the person. */
const CARD_ONLY = new Set(['BEGIN', 'END', 'VERSION', 'PRODID', 'REV', 'X-ABSHOWAS', 'CLIENTPIDMAP', 'X-ABUID']);
/** ADR's components read as they are, by position (RFC 6350 §6.3.1), and the columns named after them. */
const ADR_AS_IS: readonly (readonly [number, (typeof VCARD_COLUMNS)[number]])[] = [[3, 'ADR locality'], [4, 'ADR region'], [5, 'ADR postal code'], [6, 'ADR country']];

/** Properties read into the columns of VCARD_COLUMNS, or left out (CARD_ONLY): any other becomes a column of its own. */
const READ: ReadonlySet<string> = new Set(['UID', 'N', 'ORG', 'KIND', 'X-ADDRESSBOOKSERVER-KIND', 'FN', 'TITLE', 'ROLE', 'BDAY', 'NOTE', 'NICKNAME', 'URL', 'CATEGORIES', 'EMAIL', 'TEL', 'ADR', ...CARD_ONLY]);

/** More e-mails or phones than this in one card: the rest go, joined, into a "(more)" column. */
const EACH = 3;
const MAX_LINE = 16 << 20;

export const VCARD_COLUMNS = [
  'UID', 'KIND', 'FN', 'N family', 'N given', 'N additional', 'N prefix', 'N suffix', 'ORG', 'ORG unit', 'TITLE', 'ROLE',
  'EMAIL', 'EMAIL 2', 'EMAIL 3', 'EMAIL (more)', 'TEL (cell)', 'TEL', 'TEL 2', 'TEL 3', 'TEL (more)',
  'ADR street', 'ADR street 2', 'ADR locality', 'ADR region', 'ADR postal code', 'ADR country', 'ADR pobox', 'ADR (more)',
  'BDAY', 'URL', 'NOTE', 'CATEGORIES', 'NICKNAME',
] as const;

interface Property {
  name: string;
  params: Map<string, string[]>;
  value: string;
  line: number;
}

interface Card {
  line: number;
  props: Property[];
}

/** Splits on an unescaped separator (`;` of N/ADR/ORG, `,` of CATEGORIES), then unescapes each part. */
function split(value: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && i + 1 < value.length) {
      const n = value[i + 1] as string;
      cur += n === 'n' || n === 'N' ? '\n' : n;
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const unescape = (v: string): string => split(v, '\u0000').join('');

function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  if (charset && iconv.encodingExists(charset)) return iconv.decode(bytes, charset);
  const utf8 = bytes.toString('utf8');
  // Not UTF-8 and no CHARSET: vCard 2.1 from an old Windows program.
  return utf8.includes('\ufffd') ? iconv.decode(bytes, 'windows-1252') : utf8;
}

function quotedPrintable(raw: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

/** One content line (`group.NAME;PARAM=V;BARE:value`, still in raw bytes as latin1) → a property. */
function parseLine(raw: string, line: number): Property | null {
  let colon = -1;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return null;
  const head = raw.slice(0, colon).split(';');
  const name = (head[0] ?? '').replace(/^.*\./, '').toUpperCase();
  const params = new Map<string, string[]>();
  for (const p of head.slice(1)) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? 'TYPE' : p.slice(0, eq).toUpperCase();
    const vals = (eq < 0 ? p : p.slice(eq + 1)).split(',').map((v) => v.replace(/^"|"$/g, '').trim()).filter(Boolean);
    params.set(key, [...(params.get(key) ?? []), ...vals]);
  }
  const rawValue = raw.slice(colon + 1);
  const charset = params.get('CHARSET')?.[0];
  const qp = (params.get('ENCODING') ?? []).some((e) => /^quoted-printable$/i.test(e));
  const value = decodeBytes(qp ? quotedPrintable(rawValue) : Buffer.from(rawValue, 'latin1'), charset);
  return { name, params, value, line };
}

/** The cards of a source, each as soon as it ends: unfolding, QP soft breaks, blobs skipped. */
async function* cardsOf(source: AsyncIterable<Buffer>, fileName: string): AsyncGenerator<Card> {
  let cards: Card[] = [];
  let card: Card | null = null;
  let pending: string | null = null;
  let pendingLine = 0;
  let skipping = false;
  let lineNo = 0;
  let rest = '';
  const flush = (): void => {
    if (pending === null) return;
    const p = parseLine(pending, pendingLine);
    pending = null;
    if (!p) return;
    if (p.name === 'BEGIN' && /^vcard$/i.test(p.value.trim())) card = { line: p.line, props: [] };
    else if (p.name === 'END' && /^vcard$/i.test(p.value.trim())) {
      if (card) cards.push(card);
      card = null;
    } else if (card) (card as Card).props.push(p);
  };
  const onLine = (l: string): void => {
    lineNo++;
    const text = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (text.length > MAX_LINE) throw new BookReadError(`${fileName}: line ${lineNo} is longer than 16 MB`, 'this is not an address book a contacts program wrote');
    if (text.startsWith(' ') || text.startsWith('\t')) {
      if (!skipping && pending !== null) pending += text.slice(1);
      return;
    }
    // vCard 2.1 quoted-printable: a value ending in "=" goes on on the next line.
    if (pending !== null && !skipping && /ENCODING=QUOTED-PRINTABLE/i.test(pending.slice(0, pending.indexOf(':') + 1)) && pending.endsWith('=')) {
      pending = pending.slice(0, -1) + text;
      return;
    }
    flush();
    const name = text.slice(0, Math.max(0, text.search(/[;:]/))).replace(/^.*\./, '').toUpperCase();
    skipping = BLOBS.has(name);
    if (skipping || text === '') return;
    pending = text;
    pendingLine = lineNo;
  };
  for await (const b of source) {
    rest += (b as Buffer).toString('latin1');
    let nl = rest.indexOf('\n');
    let start = 0;
    while (nl >= 0) {
      onLine(rest.slice(start, nl));
      start = nl + 1;
      nl = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
    if (rest.length > MAX_LINE && !skipping) throw new BookReadError(`${fileName}: line ${lineNo + 1} is longer than 16 MB`);
    if (skipping && rest.length > 1 << 20) rest = ' ';
    if (cards.length > 0) {
      const done = cards;
      cards = [];
      yield* done;
    }
  }
  if (rest !== '') onLine(rest);
  flush();
  yield* cards;
}

function typesOf(p: Property): string[] {
  return (p.params.get('TYPE') ?? []).map((t) => t.toLowerCase());
}

function preferred(props: Property[]): Property[] {
  const pref = (p: Property): number => (typesOf(p).includes('pref') || p.params.has('PREF') ? 0 : 1);
  return props.map((p, i) => ({ p, i })).sort((a, b) => pref(a.p) - pref(b.p) || a.i - b.i).map((x) => x.p);
}

/** One card → one record of VCARD_COLUMNS, then the card's other properties by name. */
function record(card: Card, others: string[]): string[] {
  const cols = new Map<string, string>();
  const set = (k: string, v: string | undefined): void => {
    const t = v?.trim();
    if (t) cols.set(k, cols.has(k) ? `${cols.get(k)}\n${t}` : t);
  };
  const byName = (n: string): Property[] => card.props.filter((p) => p.name === n);
  const first = (n: string): Property | undefined => byName(n)[0];
  const uid = first('UID')?.value.trim();
  set('UID', uid?.replace(/^urn:uuid:/i, ''));
  const n = first('N');
  if (n) ['N family', 'N given', 'N additional', 'N prefix', 'N suffix'].forEach((k, i) => set(k, split(n.value, ';')[i]?.replace(/,/g, ' ')));
  const org = first('ORG');
  if (org) {
    const parts = split(org.value, ';');
    set('ORG', parts[0]);
    set('ORG unit', parts.slice(1).filter(Boolean).join(', '));
  }
  const kind = first('KIND')?.value.trim().toLowerCase() ?? first('X-ADDRESSBOOKSERVER-KIND')?.value.trim().toLowerCase();
  const showAs = first('X-ABSHOWAS')?.value.trim().toUpperCase();
  const company = kind === 'org' || kind === 'organization' || showAs === 'COMPANY';
  set('KIND', company ? 'company' : kind === 'individual' ? 'person' : kind);
  const fn = first('FN') ? unescape((first('FN') as Property).value).trim() : '';
  // A company's FN is its name, already in ORG; a person's FN is their name, already in N.
  const named = cols.has('N family') || cols.has('N given');
  if (fn && !(company && fn === cols.get('ORG')) && !(named && fn.replace(/\s+/g, ' ') === [cols.get('N prefix'), cols.get('N given'), cols.get('N additional'), cols.get('N family'), cols.get('N suffix')].filter(Boolean).join(' '))) {
    set('FN', fn);
  }
  for (const k of ['TITLE', 'ROLE', 'NOTE', 'NICKNAME']) for (const p of byName(k)) set(k, unescape(p.value));
  // vCard 4.0 writes dates in ISO 8601's basic form (19850412); the import reads the extended one.
  const bday = first('BDAY')?.value.trim();
  if (bday) set('BDAY', /^\d{8}(T|$)/.test(bday) ? `${bday.slice(0, 4)}-${bday.slice(4, 6)}-${bday.slice(6, 8)}` : bday);
  for (const p of byName('URL')) set('URL', p.value.replace(/\\([,;:\\])/g, '$1'));
  const cats = byName('CATEGORIES').flatMap((p) => split(p.value, ',')).map((s) => s.trim()).filter(Boolean);
  if (cats.length > 0) cols.set('CATEGORIES', cats.join(', '));
  const emails = preferred(byName('EMAIL')).map((p) => unescape(p.value).trim()).filter(Boolean);
  emails.slice(0, EACH).forEach((e, i) => set(i === 0 ? 'EMAIL' : `EMAIL ${i + 1}`, e));
  if (emails.length > EACH) cols.set('EMAIL (more)', emails.slice(EACH).join(', '));
  const tels = preferred(byName('TEL'));
  const isCell = (p: Property): boolean => typesOf(p).some((t) => t === 'cell' || t === 'mobile' || t === 'iphone');
  const telValue = (p: Property): string => unescape(p.value).replace(/^tel:/i, '').trim();
  const cell = tels.find(isCell);
  if (cell) set('TEL (cell)', telValue(cell));
  const others2 = tels.filter((p) => p !== cell).map(telValue).filter(Boolean);
  others2.slice(0, EACH).forEach((t, i) => set(i === 0 ? 'TEL' : `TEL ${i + 1}`, t));
  if (others2.length > EACH) cols.set('TEL (more)', others2.slice(EACH).join(', '));
  const adrs = preferred(byName('ADR'));
  const adr = adrs[0];
  if (adr) {
    const parts = split(adr.value, ';');
    const [pobox, extended, street] = parts;
    const lines = (street ?? '').split('\n');
    set('ADR pobox', pobox);
    set('ADR street', lines[0]);
    set('ADR street 2', [...lines.slice(1), extended ?? ''].filter((s) => s.trim()).join(', '));
    for (const [i, column] of ADR_AS_IS) set(column, parts[i]);
  }
  if (adrs.length > 1) cols.set('ADR (more)', adrs.slice(1).map((a) => split(a.value, ';').map((s) => s.trim()).filter(Boolean).join(', ')).join(' | '));
  for (const p of card.props) {
    if (READ.has(p.name)) continue;
    const v = unescape(p.value).trim();
    if (v) cols.set(p.name, cols.has(p.name) ? `${cols.get(p.name)}, ${v}` : v);
  }
  return [...VCARD_COLUMNS, ...others].map((k) => cols.get(k) ?? '');
}

export interface VcardBook {
  header: string[];
  preview: SheetPreview;
  records(): AsyncGenerator<RecordBatch>;
}

/**
 * Reads an address book in two passes over `open()`'s bytes, so that memory
 * stays a batch of cards whatever the file's size: the first finds the
 * columns (a property outside VCARD_COLUMNS is a column of its own, known
 * only once every card was seen) and keeps the preview; the second, when the
 * import asks for the records, reads the cards again in batches. `open()`
 * must fail a pass that reads other bytes than the first (open.ts compares
 * their hashes): a property the first pass did not see would have no column.
 */
export async function readVcards(open: () => AsyncIterable<Buffer>, fileName: string): Promise<VcardBook> {
  const others: string[] = [];
  const seen = new Set(READ);
  const first: Card[] = [];
  let count = 0;
  for await (const c of cardsOf(open(), fileName)) {
    count++;
    if (first.length < PREVIEW_ROWS - 1) first.push(c);
    for (const p of c.props) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      others.push(p.name);
    }
  }
  if (count === 0) throw new BookReadError(`${fileName} holds no card (no BEGIN:VCARD … END:VCARD)`, 'check that the export finished');
  const header = [...VCARD_COLUMNS, ...others];
  return {
    header,
    preview: { name: 'cards', hidden: false, records: [header, ...first.map((c) => record(c, others))], rows: [0, ...first.map((c) => c.line)] },
    async *records() {
      let records: string[][] = [];
      let rows: number[] = [];
      for await (const c of cardsOf(open(), fileName)) {
        records.push(record(c, others));
        rows.push(c.line);
        if (records.length === BATCH_RECORDS) {
          yield { records, rows, warnings: [] };
          records = [];
          rows = [];
        }
      }
      if (records.length > 0) yield { records, rows, warnings: [] };
    },
  };
}
