/**
 * First names compared into levels (see compare.ts): initials, relatives' names
 * (Louis / Louise), typos told from them by how often the file writes each.
 */
import { editsWithin, jaroWinkler } from './similarity.js';
import type { MatchTable } from './table.js';

/**
 * Initials or a part: "j p" ~ "jean pierre" (same number of words, each equal
 * or an initial of the other), "jean" ~ "jean pierre" and "j" ~ "jean pierre"
 * (a shorter name that is a whole word, or the initial of the first one).
 */
function initialsCompatible(a: string, b: string): boolean {
  // One word each: compatible only as an initial of the other, which starts alike.
  if (a.charCodeAt(0) !== b.charCodeAt(0) && !a.includes(' ') && !b.includes(' ')) return false;
  const ta = a.split(' ');
  const tb = b.split(' ');
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  const fits = (s: string, l: string): boolean => s === l || (s.length === 1 && l.startsWith(s)) || (l.length === 1 && s.startsWith(l));
  if (short.length === long.length) return short.every((s, i) => fits(s, long[i] ?? ''));
  if (short.length === 1 && (short[0] ?? '').length === 1) return (long[0] ?? '').startsWith(short[0] ?? '');
  // "Jean" and "J.-C.": the first of the initials is the name's (Jean-Claude written short both ways).
  if (short.length === 1 && long.every((l) => l.length === 1)) return (short[0] ?? '').startsWith(long[0] ?? '');
  return short.every((s) => s.length > 1 && long.includes(s));
}

/** Levels of two first names from their spelling alone (swapped or lone names, where the file's counts do not apply). */
export function firstLevel(a: string, b: string, jw: number): number {
  if (a === '' || b === '') return 0;
  if (a === b) return 1;
  if (initialsCompatible(a, b)) return 2;
  if (variantOf(a, b)) return 5;
  if (jw >= 0.92) return 3;
  // One slip, letters a scanner confuses folded first (Amber / Arnbkr, Roy / Ory): JW is low on short names for these.
  const x = lookAlike(a);
  const y = lookAlike(b);
  return jw >= 0.8 || (Math.min(x.length, y.length) >= 3 && editsWithin(x, y, 1)) ? 4 : 5;
}

/** Endings that make another person's name of a name (Louis / Louise, Paul / Paula, Jean / Jeanne, Henri / Henriette). */
const VARIANT_ENDINGS = new Set(['e', 'a', 'ne', 'le', 'te', 'tte', 'ette', 'ine', 'o', 'y', 'ie']);
const VOWELS = 'aeiouy';
/** The rarer of two spellings is a typo of the other when the other is written at least this many times as often. */
const TYPO_RATIO = 2;

/**
 * Another person's name made of the same one: a feminine or another ending
 * (Louis / Louise, Jean / Jeanne, Paul / Paula, Daniel / Danielle) or the
 * last vowel changed (Léa / Léo, Mila / Milo): twins and siblings, however
 * alike they are written.
 */
function variantOf(a: string, b: string): boolean {
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (l.startsWith(s)) return VARIANT_ENDINGS.has(l.slice(s.length));
  return s.length === l.length && s.length >= 2 && s.startsWith(l.slice(0, -1)) && VOWELS.includes(s.charAt(s.length - 1)) && VOWELS.includes(l.charAt(l.length - 1));
}

/**
 * The first names of records a and b (not swapped). Spelling alone cannot
 * tell a typo (Ksaey, Kbloe, Catherin for Casey, Chloe, Catherine) from a
 * relative's name (Lucie / Lucile, Louis / Louise, Léa / Léo: siblings,
 * twins with one birth date at one address); the file can: a typo is
 * seldom written twice, so the rarer spelling is one when the other is at
 * least twice as frequent. Two spellings the file holds about as often,
 * each more than once, are two names; a feminine or another ending of a
 * name is another name unless rare beside it. Otherwise spelt alike (the
 * same sound, or one or two edits apart once spaces are dropped) and rare
 * is a typo, and Jaro–Winkler grades the rest.
 */
function firstLevelIn(t: MatchTable, a: number, b: number, fa: string, fb: string, jw: number): number {
  if (fa === '' || fb === '') return 0;
  if (fa === fb) return 1;
  if (initialsCompatible(fa, fb)) return 2;
  const variant = variantOf(fa, fb);
  const ca = t.firstPool.counts[t.first[a] ?? -1] ?? 0;
  const cb = t.firstPool.counts[t.first[b] ?? -1] ?? 0;
  if (!variant && jw < 0.8 && !spelledAlike(t, a, b, fa, fb)) return onceWrittenTypo(t, a, b, fa, fb, ca, cb) ? 4 : 5;
  const rare = Math.min(ca, cb) * TYPO_RATIO <= Math.max(ca, cb);
  if (variant) return rare && (spelledAlike(t, a, b, fa, fb) || letterDropped(fa, fb, ca, cb)) ? 4 : 5;
  if (!rare && Math.min(ca, cb) >= 2) return 5;
  if (jw >= 0.92) return 3;
  return jw >= 0.8 || rare ? 4 : 5;
}

/** Letters a scanner or a hurried hand confuses (rn / m, cl / d, 0 / o…), folded to one before counting edits. */
const LOOK_ALIKE: readonly (readonly [RegExp, string])[] = [
  [/rn/g, 'm'],
  [/cl/g, 'd'],
  [/vv/g, 'w'],
  [/0/g, 'o'],
  [/1/g, 'l'],
  [/5/g, 's'],
  [/8/g, 'b'],
  [/ /g, ''],
];

function lookAlike(s: string): string {
  let out = s;
  for (const [re, to] of LOOK_ALIKE) out = out.replace(re, to);
  return out;
}

function spelledAlike(t: MatchTable, a: number, b: number, fa: string, fb: string): boolean {
  if (Math.min(fa.length, fb.length) < 3 || Math.abs(fa.length - fb.length) > 3) return false;
  if ((t.firstPh[a] ?? -1) >= 0 && t.firstPh[a] === t.firstPh[b]) return true;
  const x = lookAlike(fa);
  const y = lookAlike(fb);
  const shortest = Math.min(x.length, y.length);
  return shortest >= 3 && editsWithin(x, y, shortest >= 5 ? 2 : 1);
}

/**
 * A first name compared with the other record's last name (names swapped):
 * by spelling, then as in onceWrittenTypo, a spelling its column holds once
 * two slips from a name its own column holds more often (Brock Zgk / Zack
 * Brock); without this the pair reads as a relative's, one surname, address
 * and birth date. (Counts by id: the pools' string index is freed once sealed.)
 */
export function crossedFirstLevel(t: MatchTable, a: number, b: number, fa: string, lb: string, jw: number): number {
  const level = firstLevel(fa, lb, jw);
  if (level !== 5) return level;
  const ca = t.firstPool.counts[t.first[a] ?? -1] ?? 0;
  const cb = t.lastPool.counts[t.last[b] ?? -1] ?? 0;
  if (Math.min(ca, cb) !== 1 || Math.max(ca, cb) < 2) return level;
  const x = lookAlike(fa);
  const y = lookAlike(lb);
  return Math.min(x.length, y.length) >= 3 && editsWithin(x, y, 2) ? 4 : level;
}

/**
 * A spelling the file holds once, two slips from a name it holds more often
 * (Jiee / Jye, Caeb / Kaleb, Crane / Kane, Obby / Robbie): two edits, or one
 * once both are read aloud (ie / y, c / k, ph / f are no edit then). Short
 * names are where two slips leave jw low and one edit not enough, and a
 * relative's name is written more than once, so only a spelling met once
 * counts as the slip.
 */
/**
 * A short name written once with a letter missing beside the full name the
 * file writes more often (Jo / Joe, Mi / Mia, Ay / Amy): too short for the
 * edit counts above, and a relative's name is written more than once.
 */
function letterDropped(fa: string, fb: string, ca: number, cb: number): boolean {
  const [s, l, cs, cl] = fa.length < fb.length ? [fa, fb, ca, cb] : [fb, fa, cb, ca];
  return cs === 1 && cl >= 2 && s.length >= 2 && l.length === s.length + 1 && editsWithin(s, l, 1);
}

function onceWrittenTypo(t: MatchTable, a: number, b: number, fa: string, fb: string, ca: number, cb: number): boolean {
  if (Math.min(ca, cb) !== 1 || Math.max(ca, cb) < 2) return false;
  const x = lookAlike(fa);
  const y = lookAlike(fb);
  if (Math.min(x.length, y.length) >= 3 && editsWithin(x, y, 2)) return true;
  if (letterDropped(fa, fb, ca, cb)) return true;
  const pa = t.phPool.value(t.firstPh[a] ?? -1);
  const pb = t.phPool.value(t.firstPh[b] ?? -1);
  return Math.min(pa.length, pb.length) >= 2 && editsWithin(pa, pb, 1);
}

/** First names are few (a few thousand): their similarities are worth remembering (per table: ids are the table's). */
export function firstAffinity(firstCache: Map<number, number>, ia: number, ib: number, a: string, b: string): number {
  if (ia < 0 || ib < 0) return 0;
  if (ia === ib) return 1;
  const key = ia < ib ? ia * 4194304 + ib : ib * 4194304 + ia;
  let v = firstCache.get(key);
  if (v === undefined) {
    if (firstCache.size > 300_000) firstCache.clear();
    v = jaroWinkler(a, b);
    firstCache.set(key, v);
  }
  return v;
}

/** First-name levels by pair of pool ids, per table: a level depends only on the two names and their counts. */
const firstLevels = new WeakMap<MatchTable, Map<number, number>>();

export function firstLevelCached(t: MatchTable, a: number, b: number, fa: string, fb: string, jw: number): number {
  const ia = t.first[a] ?? -1;
  const ib = t.first[b] ?? -1;
  if (ia < 0 || ib < 0) return 0;
  if (ia === ib) return 1;
  let cache = firstLevels.get(t);
  if (!cache) firstLevels.set(t, (cache = new Map()));
  const key = ia < ib ? ia * 4194304 + ib : ib * 4194304 + ia;
  let level = cache.get(key);
  if (level === undefined) {
    if (cache.size > 300_000) cache.clear();
    level = firstLevelIn(t, a, b, fa, fb, jw);
    cache.set(key, level);
  }
  return level;
}

/**
 * Two first names one slip apart (a letter added, dropped, changed or two
 * swapped once look-alike letters are folded, or one sound) on records with
 * one birth date: FEBRL-like files write Zack / Zak, Mya / Maya, Natalie /
 * Natali for one person, each spelling a few times in the file, so the
 * counts of firstLevelIn cannot call either a typo. Twins share a birth date
 * too, but their names are not one slip apart unless one is the other's
 * feminine or another ending (Louis / Louise, Léa / Léo), which stays apart.
 */
export function birthTwinSlip(a: string, b: string, samePhonetic: boolean): boolean {
  if (a === '' || b === '' || variantOf(a, b) || endingsApart(a, b)) return false;
  if (samePhonetic && Math.min(a.length, b.length) >= 3) return true;
  const x = lookAlike(a);
  const y = lookAlike(b);
  return Math.min(x.length, y.length) >= 2 && editsWithin(x, y, 1);
}

/**
 * One stem of three letters or more with two endings a name takes (Luci-e /
 * Luci-le, Jean-ne / Jean-nette): siblings' names, not a slip, even one edit apart.
 */
function endingsApart(a: string, b: string): boolean {
  let k = 0;
  while (k < a.length && k < b.length && a.charAt(k) === b.charAt(k)) k++;
  const ea = a.slice(k);
  const eb = b.slice(k);
  return k >= 3 && (ea === '' || VARIANT_ENDINGS.has(ea)) && (eb === '' || VARIANT_ENDINGS.has(eb));
}
