import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { UsageError } from '../../core/errors.js';

/**
 * Guessing what a CSV file is made of from its first bytes: the encoding
 * (byte-order mark, UTF-8 validity, then chardet), the delimiter and the
 * line ending. French files are the first citizens: a file that is not UTF-8
 * and that chardet sees as some Latin code page is read as Windows-1252,
 * what French Excel writes.
 */

export type LineEnding = 'lf' | 'crlf' | 'cr';

export interface EncodingGuess {
  /** An iconv-lite name ('utf-8', 'windows-1252', 'utf-16le'…). */
  encoding: string;
  /** Bytes of byte-order mark at the start of the file, to skip. */
  bomLength: number;
  /** How we know: a BOM, a guess, or the user said so. */
  how: 'bom' | 'detected' | 'given';
  /** The sample held bytes above 0x7f: a later decoding error means a file mixing encodings. */
  sawNonAscii: boolean;
}

const BOMS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** Spellings users type for the encodings they know, mapped to iconv-lite names. */
const ALIASES: Readonly<Record<string, string>> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  'utf-8-sig': 'utf-8',
  cp1252: 'windows-1252',
  win1252: 'windows-1252',
  'windows-1252': 'windows-1252',
  ansi: 'windows-1252',
  latin1: 'latin1',
  'iso-8859-1': 'latin1',
  latin9: 'iso-8859-15',
  'iso-8859-15': 'iso-8859-15',
  utf16: 'utf-16le',
  'utf-16': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16le': 'utf-16le',
  utf16be: 'utf-16be',
  'utf-16be': 'utf-16be',
  macroman: 'macintosh',
  'mac-roman': 'macintosh',
};

/** Latin single-byte guesses that chardet gives for French text: all read as Windows-1252. */
const LATIN_GUESS = /^(iso-8859-(1|2|9|15)|windows-125[0-8])$/i;

export function normaliseEncodingName(name: string): string {
  const key = name.trim().toLowerCase();
  const mapped = ALIASES[key] ?? key;
  if (!iconv.encodingExists(mapped)) {
    throw new UsageError(`unknown encoding '${name}'`, 'use utf-8, windows-1252 (French Excel), latin1, iso-8859-15 or utf-16');
  }
  return mapped;
}

function bomOf(sample: Buffer): { encoding: string; length: number } | null {
  for (const b of BOMS) {
    if (sample.length >= b.bytes.length && b.bytes.every((x, i) => sample[i] === x)) return { encoding: b.encoding, length: b.bytes.length };
  }
  return null;
}

/** The sample without a multi-byte UTF-8 sequence cut at its end, so a cut sample is not taken for invalid. */
function withoutCutSequence(sample: Buffer): Buffer {
  let i = sample.length - 1;
  const stop = Math.max(0, sample.length - 4);
  while (i >= stop && ((sample[i] ?? 0) & 0xc0) === 0x80) i--;
  if (i < stop || i < 0) return sample;
  const lead = sample[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return sample.length - i < need ? sample.subarray(0, i) : sample;
}

/** UTF-16 without a BOM: every other byte is zero in Latin text. */
function utf16WithoutBom(sample: Buffer): string | null {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const half = n / 2;
  if (oddZeros > half * 0.4 && evenZeros < half * 0.05) return 'utf-16le';
  if (evenZeros > half * 0.4 && oddZeros < half * 0.05) return 'utf-16be';
  return null;
}

function hasNonAscii(sample: Buffer): boolean {
  for (let i = 0; i < sample.length; i++) if ((sample[i] ?? 0) > 0x7f) return true;
  return false;
}

/** The encoding of a file from its first bytes (a few hundred KB is plenty). */
export function sniffEncoding(sample: Buffer, given?: string): EncodingGuess {
  const bom = bomOf(sample);
  if (given !== undefined && given !== '' && given !== 'auto') {
    const encoding = normaliseEncodingName(given);
    const bomLength = bom && bom.encoding === encoding ? bom.length : 0;
    return { encoding, bomLength, how: 'given', sawNonAscii: hasNonAscii(sample) };
  }
  if (bom) return { encoding: bom.encoding, bomLength: bom.length, how: 'bom', sawNonAscii: true };
  const wide = utf16WithoutBom(sample);
  if (wide) return { encoding: wide, bomLength: 0, how: 'detected', sawNonAscii: true };
  const nonAscii = hasNonAscii(sample);
  if (!nonAscii || isUtf8(withoutCutSequence(sample))) return { encoding: 'utf-8', bomLength: 0, how: 'detected', sawNonAscii: nonAscii };
  const top = chardet.analyse(sample)[0];
  const name = top?.name ?? '';
  const encoding = top && top.confidence >= 50 && !LATIN_GUESS.test(name) && iconv.encodingExists(name) ? name.toLowerCase() : 'windows-1252';
  return { encoding, bomLength: 0, how: 'detected', sawNonAscii: true };
}

/** The first line ending of a decoded sample; LF when there is none. */
export function sniffLineEnding(text: string): LineEnding {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && c === 13) return text.charCodeAt(i + 1) === 10 ? 'crlf' : 'cr';
    else if (!inQuotes && c === 10) return 'lf';
  }
  return 'lf';
}

const CANDIDATES = [';', ',', '\t', '|'] as const;

/** Named delimiters a user may type. */
export function normaliseDelimiter(given: string): string {
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', semicolon: ';', comma: ',', pipe: '|', 'point-virgule': ';', virgule: ',' };
  const d = named[given.toLowerCase()] ?? given;
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new UsageError(`--delimiter '${given}' is not a single character`, 'use ; , tab or |');
  }
  return d;
}

/** Counts of each candidate outside quotes, per record, for the first records of the sample. */
function countsPerRecord(text: string, maxRecords: number): number[][] {
  const rows: number[][] = [];
  let counts = CANDIDATES.map(() => 0);
  let inQuotes = false;
  let empty = true;
  for (let i = 0; i < text.length && rows.length < maxRecords; i++) {
    const ch = text[i] as string;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (!empty) rows.push(counts);
      counts = CANDIDATES.map(() => 0);
      empty = true;
      continue;
    } else if (!inQuotes) {
      const k = CANDIDATES.indexOf(ch as (typeof CANDIDATES)[number]);
      if (k >= 0) counts[k] = (counts[k] ?? 0) + 1;
    }
    empty = false;
  }
  return rows;
}

/**
 * The delimiter of a decoded sample: among ; , tab and |, the one that
 * splits the header into the most columns and the following records into
 * the same number (a French amount "1 250,00" has commas, but not the same
 * number on every line). A single-column file gets ','.
 */
export function sniffDelimiter(text: string, given?: string): string {
  if (given !== undefined && given !== '' && given !== 'auto') return normaliseDelimiter(given);
  const rows = countsPerRecord(text, 50);
  const [header, ...rest] = rows;
  if (!header) return ',';
  let best = ',';
  let bestScore = 0;
  CANDIDATES.forEach((d, k) => {
    const h = header[k] ?? 0;
    if (h === 0) return;
    const same = rest.filter((r) => (r[k] ?? 0) === h).length;
    // A candidate that splits most records like the header beats one that splits the header more but not the data.
    const consistency = rest.length === 0 ? 1 : same / rest.length;
    const score = consistency >= 0.6 ? 1000 + h : h * consistency;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  });
  return best;
}
