/**
 * Survivorship: of two spellings of one value, which says more. A merge
 * keeps the fuller one ("Jean-Pierre" over "J.-P.", "3 avenue Jean Jaurès"
 * over "3 av. Jean-Jaurès", "12 rue Lilas" over "rue Lilas", "Hélène" over
 * "HELENE"); when the values are not two spellings of one thing (a new
 * address after a move), neither is fuller and the newest wins, as before.
 */
import type { CatalogueEntry } from '../fields/catalogue.js';
import { fold } from '../normalise/text.js';
import { addressKey, givenNameKey, matchText } from './normalise.js';

/** How two spellings compare; which field compares how is the catalogue's `fuller` (FULLER_BY_PROP). */
export type FullerKind = NonNullable<CatalogueEntry['fuller']>;

/** Every word of `short` is a word of `long` or, for a one-letter word, the initial of the word in its place. */
function initialsOf(short: string[], long: string[]): boolean {
  if (short.length !== long.length) return short.length < long.length && short.every((s) => s.length > 1 && long.includes(s));
  return short.every((s, i) => s === long[i] || (s.length === 1 && (long[i] ?? '').startsWith(s)));
}

/** Accents and lower case say more than an ASCII or all-capitals spelling of the same letters. */
function richness(s: string): number {
  let n = 0;
  for (const ch of s) if (ch.charCodeAt(0) > 127) n++;
  const mixed = s !== s.toUpperCase() && s !== s.toLowerCase() ? 1 : 0;
  return n * 2 + mixed;
}

/**
 * 1 when a is a fuller spelling of the same value as b, -1 when b is, 0 when
 * neither (different values, or equally full).
 */
export function fullerOf(kind: FullerKind, a: string, b: string): number {
  if (a === b) return 0;
  if (kind === 'given') {
    const ka = givenNameKey(a).split(' ');
    const kb = givenNameKey(b).split(' ');
    const la = ka.join('').length;
    const lb = kb.join('').length;
    if (la !== lb) {
      if (la > lb && initialsOf(kb, ka)) return 1;
      if (lb > la && initialsOf(ka, kb)) return -1;
    }
  }
  if (kind === 'address') {
    const ka = addressKey(a);
    const kb = addressKey(b);
    if (ka !== kb) {
      const ta = new Set(ka.split(' '));
      const tb = new Set(kb.split(' '));
      // A number over none, a street type spelled out, a word more: the same tokens and then some.
      if (ta.size > tb.size && [...tb].every((t) => ta.has(t))) return 1;
      if (tb.size > ta.size && [...ta].every((t) => tb.has(t))) return -1;
      return 0;
    }
    // One key: the longer spelling is the unabbreviated one ("avenue" over "av."), then accents and case.
    return Math.sign(a.length - b.length) || Math.sign(richness(a) - richness(b));
  }
  // The same letters: the spelling with accents and case, then the longer (unabbreviated) one.
  if (matchText(a) === matchText(b)) {
    const r = Math.sign(richness(a) - richness(b));
    if (r !== 0) return r;
    return Math.sign(fold(a).length - fold(b).length);
  }
  return 0;
}

/**
 * The value a merge keeps among non-empty `values` ordered newest first:
 * the newest, replaced by any fuller spelling of it.
 */
export function fullestIndex(kind: FullerKind, values: readonly string[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) {
    if (fullerOf(kind, values[k] ?? '', values[best] ?? '') > 0) best = k;
  }
  return best;
}
