/**
 * String similarities for record linkage, written here rather than taken
 * from npm: each is a few lines, runs millions of times per dedupe, and must
 * allocate nothing (the small npm packages allocate arrays per call).
 */

/** Scratch buffers reused across calls (strings here are names and addresses, short). */
let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2);
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const range = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    const ca = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === ca) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * True when a and b are at most one edit apart (insertion, deletion,
 * substitution, or two adjacent letters swapped): the typo test for
 * identifiers, dates and postal codes.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    // substitution: the rest equal after skipping one; transposition: swapped pair then equal
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Token-set similarity for multi-word values (addresses, company names):
 * each token of the shorter side takes its best Jaro–Winkler match in the
 * other (Monge–Elkan), so word order and one dropped word cost little.
 */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  return tokenListSimilarity(a.split(' '), b.split(' '));
}

/** tokenSimilarity over words already split. */
export function tokenListSimilarity(ta: readonly string[], tb: readonly string[]): number {
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  let sum = 0;
  for (const s of short) {
    let best = 0;
    for (const l of long) {
      // Words sharing neither of their first two letters are not one word mistyped: skip the JW.
      const sim = s === l ? 1 : isDigits(s) || isDigits(l) || !mayBeTypo(s, l) ? 0 : jaroWinkler(s, l);
      if (sim > best) best = sim;
      if (best === 1) break;
    }
    sum += best;
  }
  // Tokens the longer side has and the shorter lacks weigh a little: "rue de la paix" vs "paix".
  const coverage = short.length / long.length;
  return (sum / short.length) * (0.85 + 0.15 * coverage);
}

function mayBeTypo(a: string, b: string): boolean {
  return a.charCodeAt(0) === b.charCodeAt(0) || a.charCodeAt(1) === b.charCodeAt(1) || a.charCodeAt(0) === b.charCodeAt(1);
}

function isDigits(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 48 && c <= 57;
}

let row0 = new Int32Array(32);
let row1 = new Int32Array(32);
let row2 = new Int32Array(32);

/**
 * True when a and b are at most k edits apart, an edit being an insertion,
 * a deletion, a substitution or two adjacent letters swapped (optimal
 * string alignment). Rows are reused: no allocation per call.
 */
export function editsWithin(a: string, b: string, k: number): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > k) return false;
  if (lb + 1 > row0.length) {
    row0 = new Int32Array(lb * 2 + 2);
    row1 = new Int32Array(lb * 2 + 2);
    row2 = new Int32Array(lb * 2 + 2);
  }
  // row2: i-2, row1: i-1, row0: i (rotated each line)
  let prev2 = row2;
  let prev = row1;
  let cur = row0;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur[j] = d;
      if (d < best) best = d;
    }
    if (best > k) return false;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return (prev[lb] ?? 0) <= k;
}
