/**
 * Text clean-up shared by every field. These run on every cell of every
 * imported row, so each function has an ASCII fast path that skips the
 * regex replacements and Unicode normalisation the common case never needs.
 */

/** C0/C1 controls, zero-width characters, BOM and soft hyphen (invisible, breaks matching). */
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** Every kind of space (\s covers NBSP U+00A0, narrow NBSP U+202F, tabs, newlines…). */
const SPACES = /\s+/g;
/** Same, minus the newline: used inside multi-line notes. */
const INLINE_SPACES = /[^\S\n]+/g;
const COMBINING_MARKS = /\p{M}+/gu;
const LIGATURES = /[œæßøłđ]/g;
const LIGATURE_MAP: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd' };
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Trims, collapses inner whitespace (NBSP and narrow NBSP included) to one
 * space, strips control and zero-width characters, and composes accents
 * (NFC) so that a name typed on a Mac (decomposed) equals the same name typed
 * on Windows. Empty → null, so "no value" has one spelling.
 */
export function cleanText(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const clean = cleanAlready(s);
  if (clean === 1) return s;
  if (clean === 2) {
    const t = s.trim();
    return t === '' ? null : t;
  }
  const t = s.replace(INVISIBLE, '').replace(SPACES, ' ').trim().normalize('NFC');
  return t === '' ? null : t;
}

/**
 * The fast path of cleanText, as a char loop (several times faster than a
 * regex on short cells): 1 = already clean, 2 = only needs a trim of ASCII
 * spaces, 0 = needs the full treatment. Letters U+00C0–U+024F are
 * precomposed Latin (é, ç, œ…), so they need no NFC; anything rarer goes the
 * slow way.
 */
function cleanAlready(s: string): 0 | 1 | 2 {
  const n = s.length;
  if (n === 0) return 2;
  let result: 1 | 2 = 1;
  let prevSpace = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (i === 0 || i === n - 1) result = 2;
      else if (prevSpace) return 0;
      prevSpace = true;
      continue;
    }
    prevSpace = false;
    if ((c > 32 && c < 127) || (c >= 0xc0 && c <= 0x24f) || c === 0x2019 || c === 0x20ac) continue;
    return 0;
  }
  return result;
}

/**
 * Like cleanText but keeps line breaks (notes are paragraphs): CRLF/CR become
 * LF, spaces collapse within a line, trailing spaces go, and more than one
 * blank line in a row becomes one.
 */
export function cleanMultilineText(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = s
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(INLINE_SPACES, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .normalize('NFC');
  return t === '' ? null : t;
}

/**
 * Matching key: lower-case, no diacritics ("Hélène" → "helene"), common
 * ligatures spelled out ("Œuvre" → "oeuvre"). Not for display: only for
 * comparisons, lookups and dedupe.
 */
export function fold(s: string): string {
  const lower = s.toLowerCase();
  if (ASCII_ONLY.test(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(LIGATURES, (c) => LIGATURE_MAP[c] ?? c)
    .normalize('NFC');
}

/**
 * A lookup key for table-driven matching (countries, civilities, legal
 * forms): folded, with dots, apostrophes, hyphens and other punctuation
 * turned into spaces and collapsed, so "Côte-d'Ivoire", "cote d ivoire" and
 * "COTE D’IVOIRE" meet.
 */
export function lookupKey(s: string): string {
  return fold(s)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * A bounded memo for pure string → value functions applied to columns with
 * few distinct values (countries, civilities, statuses). Cleared when full
 * rather than LRU-evicted: simpler, and the working set refills in a few rows.
 */
export class SmallCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max = 10_000) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  set(key: string, value: V): V {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}
