/**
 * Candidate pairs by blocking: records are compared only when they share a
 * key (the same e-mail, phone, SIREN, phonetic name in the same postcode…).
 * Several keys, so that a typo in one field leaves the others to find the
 * pair; each block is bounded, so that cost grows about linearly: a block
 * larger than MAX_BLOCK is sorted by name and only neighbours within a
 * window are paired (sorted neighbourhood inside the block).
 *
 * Keys are 32-bit hashes packed with the record index into one double and
 * sorted as a Float64Array: no object per record, no string per key.
 */
import type { MatchTable } from './table.js';
import { KEY } from '../fields/catalogue.js';

/**
 * Above this size a block is paired by windows along the name order: at a
 * million people a key of a name and a postcode holds dozens of namesakes in
 * a big town, and pairing them all made the pairs grow as the square of the
 * town (6.3 M pairs at 1.38 M records with 40; 5.3 M with 12, same F1).
 */
const MAX_BLOCK = 12;
const WINDOW = 5;
/** Neighbours paired in the file sorted by (last name, first name). */
const NEIGHBOURS = 1;
/** Pair code = a · PAIR_BASE + b with a < b: exact in a double for 67 M records. */
export const PAIR_BASE = 2 ** 26;

export function pairCode(a: number, b: number): number {
  return a < b ? a * PAIR_BASE + b : b * PAIR_BASE + a;
}

export function pairOf(code: number): [number, number] {
  const a = Math.floor(code / PAIR_BASE);
  return [a, code - a * PAIR_BASE];
}

/** Combines a hash and a value (up to 2^53) into a 32-bit hash; h is spread before v joins it, so (1, 2) and (2, 1) differ. */
function mix(h: number, v: number): number {
  const lo = v >>> 0;
  const hi = Math.floor(v / 4294967296) >>> 0;
  let x = Math.imul(h ^ (h >>> 16), 0x9e3779b1) ^ lo;
  x = Math.imul(x ^ (x >>> 15), 0x85ebca6b) ^ hi;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A blocking rule: zero, one or two keys for record i (values < 0 or NaN mean "no key"). */
interface Rule {
  name: string;
  /** Used only when fewer than half the records have a postcode. */
  townsOnly?: boolean;
  keys: (t: MatchTable, i: number, emit: (a: number, b?: number) => void) => void;
}

function firstChar(t: MatchTable, i: number): number {
  const last = t.lastPool.value(t.last[i] ?? -1);
  return last === '' ? -1 : last.charCodeAt(0);
}

function givenChar(t: MatchTable, i: number): number {
  const first = t.firstPool.value(t.first[i] ?? -1);
  return first === '' ? -1 : first.charCodeAt(0);
}

const RULES: readonly Rule[] = [
  { name: KEY.email, keys: (t, i, emit) => emit(t.email[i] ?? -1) },
  // The same mailbox name at another provider, in the same department: "marie.martin" alone is thousands of people.
  { name: 'mailbox', keys: (t, i, emit) => emit(t.local[i] ?? -1, (t.dept[i] ?? -1) + 1) },
  { name: KEY.phone, keys: (t, i, emit) => { emit(t.phone1[i] ?? Number.NaN); emit(t.phone2[i] ?? Number.NaN); } },
  // Phones kept as digits only (no country, no area code): their last seven digits, and those of every full number to meet them.
  {
    name: `${KEY.phone} tail`,
    keys: (t, i, emit) => {
      if (t.phoneTails === 0) return;
      for (const p of [t.phoneTail[i] ?? Number.NaN, (t.phone1[i] ?? Number.NaN) % 10_000_000, (t.phone2[i] ?? Number.NaN) % 10_000_000]) emit(p);
    },
  },
  { name: 'siren', keys: (t, i, emit) => emit(t.siren[i] ?? -1) },
  // With the first name's initial (0 without one): J.-P. and Jean-Pierre share it, and "Martin in 75011" is not one block.
  { name: 'last+postcode+initial', keys: (t, i, emit) => emit(t.lastPh[i] ?? -1, (t.postal[i] ?? -1) < 0 ? -1 : (t.postal[i] ?? 0) * 256 + Math.max(0, givenChar(t, i))) },
  {
    name: 'names+area',
    keys: (t, i, emit) => {
      const f = t.firstPh[i] ?? -1;
      const l = t.lastPh[i] ?? -1;
      if (f < 0 || l < 0) return;
      // In either order, so that first and last names written swapped still meet; within a
      // department, or nationwide for a record without a postcode (files like fake_1000 have none).
      emit(mix(Math.min(f, l), Math.max(f, l)), (t.dept[i] ?? -1) < 0 ? 0 : 1 + (t.dept[i] ?? 0));
    },
  },
  { name: 'first+postcode+initial', keys: (t, i, emit) => emit(t.firstPh[i] ?? -1, (t.postal[i] ?? -1) < 0 ? -1 : (t.postal[i] ?? 0) * 256 + firstChar(t, i)) },
  { name: 'address+postcode', keys: (t, i, emit) => emit(t.address[i] ?? -1, t.postal[i] ?? -1) },
  { name: 'birth+first', keys: (t, i, emit) => emit((t.birth[i] ?? 0) || -1, t.firstPh[i] ?? -1) },
  // Towns, for files that mostly lack postcodes; the other name's initial keeps "Marie in Paris" from being one huge block.
  { name: 'first+town+initial', townsOnly: true, keys: (t, i, emit) => emit(t.firstPh[i] ?? -1, (t.city[i] ?? -1) < 0 || firstChar(t, i) < 0 ? -1 : (t.city[i] ?? 0) * 256 + firstChar(t, i)) },
  { name: 'last+town+initial', townsOnly: true, keys: (t, i, emit) => emit(t.lastPh[i] ?? -1, (t.city[i] ?? -1) < 0 || givenChar(t, i) < 0 ? -1 : (t.city[i] ?? 0) * 256 + givenChar(t, i)) },
  // Either name with the birth date: a name missing, swapped or misspelt in one record still leaves this.
  {
    name: 'birth+any name',
    keys: (t, i, emit) => {
      const b = t.birth[i] ?? 0;
      if (b === 0) return;
      emit(b, t.firstPh[i] ?? -1);
      emit(b, t.lastPh[i] ?? -1);
    },
  },
  { name: 'birth+postcode', keys: (t, i, emit) => emit((t.birth[i] ?? 0) || -1, t.postal[i] ?? -1) },
  {
    name: 'company words',
    keys: (t, i, emit) => {
      const c = t.company[i] ?? -1;
      if (c < 0) return;
      emit(c);
      // Its rarest word in the department: "Boulangerie Martin" meets "Martin" and "Boulangerie Martin & Fils".
      const w = rarestWord(t, c);
      if (w !== '') emit(wordHash(w), t.dept[i] ?? -1);
    },
  },
  {
    name: 'imported identifiers',
    keys: (t, i, emit) => t.extras.forEach((col, k) => emit(col.values[i] ?? -1, k)),
  },
];

function rarestWord(t: MatchTable, c: number): string {
  const counts = t.companyPool.wordCounts();
  let best = '';
  let bestCount = Infinity;
  for (const w of t.companyPool.tokens(c)) {
    const n = counts.get(w) ?? 0;
    if (w.length >= 3 && n < bestCount) {
      best = w;
      bestCount = n;
    }
  }
  return best;
}

function wordHash(w: string): number {
  let h = 2166136261;
  for (let k = 0; k < w.length; k++) h = Math.imul(h ^ w.charCodeAt(k), 16777619);
  return h >>> 0;
}

/** Grows as pairs come; sorted and made unique per rule, then merged into the result. */
class PairBuffer {
  data = new Float64Array(1 << 16);
  length = 0;
  push(code: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = code;
  }
  sortedUnique(): Float64Array {
    const v = this.data.subarray(0, this.length).sort();
    let w = 0;
    for (let r = 0; r < v.length; r++) if (r === 0 || v[r] !== v[w - 1]) v[w++] = v[r] ?? 0;
    return v.subarray(0, w);
  }
}

function mergeUnique(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let w = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] ?? 0) : Infinity;
    const y = j < b.length ? (b[j] ?? 0) : Infinity;
    const v = x <= y ? x : y;
    if (x <= y) i++;
    if (y <= x) j++;
    out[w++] = v;
  }
  return out.subarray(0, w);
}

/** Rank of each record by (last name, first name): the order windows slide along inside big blocks. */
function nameRanks(t: MatchTable): Float64Array {
  const rankOf = (values: string[]): Int32Array => {
    const order = values.map((_, k) => k).sort((x, y) => ((values[x] ?? '') < (values[y] ?? '') ? -1 : (values[x] ?? '') > (values[y] ?? '') ? 1 : 0));
    const r = new Int32Array(values.length);
    order.forEach((k, pos) => (r[k] = pos + 1));
    return r;
  };
  const lastRank = rankOf(t.lastPool.values);
  const firstRank = rankOf(t.firstPool.values);
  const base = t.firstPool.values.length + 1;
  const ranks = new Float64Array(t.n);
  for (let i = 0; i < t.n; i++) {
    const l = t.last[i] ?? -1;
    const f = t.first[i] ?? -1;
    ranks[i] = (l < 0 ? 0 : (lastRank[l] ?? 0)) * base + (f < 0 ? 0 : (firstRank[f] ?? 0));
  }
  return ranks;
}

export interface BlockingStats {
  rule: string;
  keys: number;
  pairs: number;
  capped: number;
}

/** Every candidate pair, as sorted unique pair codes (see pairCode). */
export function candidatePairs(t: MatchTable, stats: BlockingStats[] = []): Float64Array {
  const n = t.n;
  const idxBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const idxScale = 2 ** idxBits;
  const keyMask = 2 ** (53 - idxBits);
  const ranks = nameRanks(t);
  let result: Float64Array = new Float64Array(0);
  let entries = new Float64Array(Math.max(16, n * 2));
  const members: number[] = [];

  const fewPostcodes = t.postalPool.filled < n / 2;
  RULES.forEach((rule, ruleNo) => {
    if (rule.townsOnly && !fewPostcodes) return;
    let count = 0;
    for (let i = 0; i < n; i++) {
      rule.keys(t, i, (a, b) => {
        if (a < 0 || Number.isNaN(a) || (b !== undefined && (b < 0 || Number.isNaN(b)))) return;
        const key = mix(mix(ruleNo + 1, a), b ?? 0) % keyMask;
        if (count === entries.length) {
          const next = new Float64Array(entries.length * 2);
          next.set(entries);
          entries = next;
        }
        entries[count++] = key * idxScale + i;
      });
    }
    const sorted = entries.subarray(0, count).sort();
    const buf = new PairBuffer();
    let capped = 0;
    let start = 0;
    while (start < count) {
      const key = Math.floor((sorted[start] ?? 0) / idxScale);
      let end = start + 1;
      while (end < count && Math.floor((sorted[end] ?? 0) / idxScale) === key) end++;
      const size = end - start;
      if (size > 1) {
        members.length = 0;
        for (let k = start; k < end; k++) members.push((sorted[k] ?? 0) - key * idxScale);
        if (size <= MAX_BLOCK) {
          for (let x = 0; x < size; x++) for (let y = x + 1; y < size; y++) emitPair(buf, members[x] ?? 0, members[y] ?? 0);
        } else {
          capped++;
          members.sort((x, y) => (ranks[x] ?? 0) - (ranks[y] ?? 0) || x - y);
          for (let x = 0; x < size; x++) for (let y = x + 1; y <= x + WINDOW && y < size; y++) emitPair(buf, members[x] ?? 0, members[y] ?? 0);
        }
      }
      start = end;
    }
    const unique = buf.sortedUnique();
    stats.push({ rule: rule.name, keys: count, pairs: unique.length, capped });
    result = result.length === 0 ? unique : mergeUnique(result, unique);
  });
  // Sorted neighbourhood over the whole file by name: catches what no key shares (typos in every key).
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (ranks[x] ?? 0) - (ranks[y] ?? 0) || x - y);
  const buf = new PairBuffer();
  for (let x = 0; x < n; x++) for (let y = x + 1; y <= x + NEIGHBOURS && y < n; y++) emitPair(buf, order[x] ?? 0, order[y] ?? 0);
  const unique = buf.sortedUnique();
  stats.push({ rule: 'name order', keys: n, pairs: unique.length, capped: 0 });
  return mergeUnique(result, unique);
}

/**
 * Extra pairs a small file can afford (see SPARE_PAIRS), not already in
 * `known` (sorted unique codes): compared and scored, but kept out of the
 * model's estimation, so that the weights are those the keys alone give and
 * a file's scores do not depend on its size through these.
 */
export function sparePairs(t: MatchTable, known: Float64Array, stats: BlockingStats[] = []): Float64Array {
  const n = t.n;
  const window = Math.min(MAX_SPARE_WINDOW, Math.floor(SPARE_PAIRS / Math.max(1, n)));
  let result: Float64Array = new Float64Array(0);
  if (window < 1) return result;
  for (const [name, keyOf] of SPARE_ORDERS) {
    const keys = Array.from({ length: n }, (_, i) => keyOf(t, i));
    const byKey = Array.from({ length: n }, (_, i) => i).filter((i) => keys[i] !== '').sort((x, y) => ((keys[x] ?? '') < (keys[y] ?? '') ? -1 : (keys[x] ?? '') > (keys[y] ?? '') ? 1 : x - y));
    const spare = new PairBuffer();
    for (let x = 0; x < byKey.length; x++) for (let y = x + 1; y <= x + window && y < byKey.length; y++) emitPair(spare, byKey[x] ?? 0, byKey[y] ?? 0);
    const u = spare.sortedUnique();
    stats.push({ rule: name, keys: byKey.length, pairs: u.length, capped: 0 });
    result = mergeUnique(result, u);
  }
  // Drop what the keys already paired (both sorted).
  let w = 0;
  let j = 0;
  for (let i = 0; i < result.length; i++) {
    const v = result[i] ?? 0;
    while (j < known.length && (known[j] ?? 0) < v) j++;
    if (j < known.length && known[j] === v) continue;
    result[w++] = v;
  }
  return result.subarray(0, w);
}

/**
 * Pairs per order a file may spend on the spare windows: a window of
 * SPARE_PAIRS / n neighbours, so 5,000 records compare 6 neighbours in each
 * order and a file of 30,000 or more none. They cost some precision on clean
 * small files (French 10k people: F1 0.9834 → 0.9816) for much recall on
 * corrupted ones (FEBRL-like: 0.945 → 0.975). No order by given name: pairs
 * of one given name in one town were mostly namesakes. Heavily corrupted small files
 * (FEBRL: a name missing, swapped and misspelt in one record, the postcode
 * mistyped) need them; in a big file the keys above find what these would.
 */
const SPARE_PAIRS = 30_000;
const MAX_SPARE_WINDOW = 20;
const SPARE_ORDERS: readonly [string, (t: MatchTable, i: number) => string][] = [
  ['address order', (t, i) => t.addressPool.value(t.address[i] ?? -1)],
  ['birth order', (t, i) => ((t.birth[i] ?? 0) === 0 ? '' : String(t.birth[i]))],
  ['town order', (t, i) => `${t.cityPool.value(t.city[i] ?? -1)} ${t.lastPool.value(t.last[i] ?? -1)}`.trim()],
  // The street without its number, then postcode and number: a mistyped street number ("42 x st" / "24 x st")
  // sorts the address order far apart, and so does a missing one; here the same street stays together.
  ['street order', streetKey],
];

function streetKey(t: MatchTable, i: number): string {
  const a = t.address[i] ?? -1;
  if (a < 0) return '';
  const number = t.addressPool.number(a);
  const words = t.addressPool.tokens(a);
  const street = (number === '' ? words : words.slice(1)).join(' ');
  return street === '' ? '' : `${street}|${t.postalPool.value(t.postal[i] ?? -1)}|${number}`;
}

function emitPair(buf: PairBuffer, a: number, b: number): void {
  if (a !== b) buf.push(pairCode(a, b));
}
