/**
 * The customers to match, held by column in typed arrays with every text
 * value interned once: a million records fit in a few hundred MB and each
 * comparison reads integers, not objects. Built in one pass over the rows.
 */
import { departmentOf } from '../normalise/postal.js';
import { addressKey, birthNumber, cityKey, companyKey, emailKey, emailLocal, familyNameKey, givenNameKey, matchText, PHONE_KEY, phoneNumber, phoneTailOf, sirenNumber } from './normalise.js';
import { frenchPhonetic } from './phonetic.js';
import { identifierValue, type IdentifierDecl } from './identifiers.js';
import { KEY } from '../fields/catalogue.js';

/** What the repository hands over per customer, in this order (raw rows: no object per row). */
export type MatchRow = [
  id: number,
  firstName: string | null,
  lastName: string | null,
  companyName: string | null,
  siret: string | null,
  emailNorm: string | null,
  phoneE164: string | null,
  mobileE164: string | null,
  addressLine1: string | null,
  addressLine2: string | null,
  postalCode: string | null,
  city: string | null,
  country: string | null,
  birthDate: string | null,
  extra: string | null,
  externalId: string | null,
  vatNumber: string | null,
];

/** Interned strings with their counts (the counts give term frequencies). */
export class Pool {
  readonly map = new Map<string, number>();
  readonly values: string[] = [];
  readonly counts: number[] = [];
  filled = 0;

  intern(s: string): number {
    if (s === '') return -1;
    let id = this.map.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.map.set(s, id);
      this.values.push(s);
      this.counts.push(0);
    }
    this.counts[id] = (this.counts[id] ?? 0) + 1;
    this.filled++;
    return id;
  }

  value(id: number): string {
    return id < 0 ? '' : (this.values[id] ?? '');
  }

  private numbers: string[] = [];

  /** The value's leading number ("12" of "12 rue lilas"), '' when it has none; computed once per value. */
  number(id: number): string {
    let n = this.numbers[id];
    if (n === undefined) {
      n = /^\d+[a-z]*(?= |$)/.exec(this.value(id))?.[0] ?? '';
      this.numbers[id] = n;
    }
    return n;
  }

  private readonly tokenCache = new Map<number, string[]>();

  /**
   * The value's words, split once and kept for a while (addresses and company
   * names are compared word by word); bounded, so a million addresses do not
   * each keep an array.
   */
  tokens(id: number): string[] {
    let t = this.tokenCache.get(id);
    if (t === undefined) {
      if (this.tokenCache.size >= 20_000) this.tokenCache.clear();
      t = this.value(id).split(' ');
      this.tokenCache.set(id, t);
    }
    return t;
  }

  private words: Map<string, number> | undefined;

  /** How many filled cells hold each word (company names: "martin" in how many names). */
  wordCounts(): Map<string, number> {
    if (!this.words) {
      const counts = new Map<string, number>();
      this.values.forEach((v, id) => {
        for (const w of new Set(v.split(' '))) counts.set(w, (counts.get(w) ?? 0) + (this.counts[id] ?? 0));
      });
      this.words = counts;
    }
    return this.words;
  }

  /**
   * Once every row is in, the value → id index is only memory: a million
   * addresses or mailbox names keep ~100 MB of Map in it. Values stay.
   */
  freeIndex(): void {
    this.map.clear();
  }

  /** Share of filled cells holding this value. */
  tf(id: number): number {
    return id < 0 || this.filled === 0 ? 0 : (this.counts[id] ?? 0) / this.filled;
  }

  /** Probability that two random filled cells agree: Σ tf². */
  agreement(): number {
    if (this.filled === 0) return 0;
    let s = 0;
    for (const c of this.counts) s += (c / this.filled) ** 2;
    return s;
  }
}

/**
 * A pool that keeps a 52-bit hash of each value instead of the value: for
 * columns compared only for equality and frequency (e-mail keys), a million
 * distinct strings need not stay in memory. Two different e-mails share a
 * hash with odds of about one in ten million at a million customers.
 */
export class HashPool {
  private readonly map = new Map<number, number>();
  readonly counts: number[] = [];
  filled = 0;

  intern(s: string): number {
    if (s === '') return -1;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      h1 = Math.imul(h1 ^ c, 16777619);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
    }
    const key = (h1 >>> 0) * 1048576 + ((h2 >>> 0) & 0xfffff);
    let id = this.map.get(key);
    if (id === undefined) {
      id = this.counts.length;
      this.map.set(key, id);
      this.counts.push(0);
    }
    this.counts[id] = (this.counts[id] ?? 0) + 1;
    this.filled++;
    return id;
  }

  tf(id: number): number {
    return id < 0 || this.filled === 0 ? 0 : (this.counts[id] ?? 0) / this.filled;
  }

  /** Once every row is in, the hash → id index is no longer needed (a million entries). */
  freeIndex(): void {
    this.map.clear();
  }
}

function parseExtra(text: string): Record<string, unknown> {
  try {
    const obj = JSON.parse(text) as unknown;
    return obj && typeof obj === 'object' ? (obj as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** An imported column (extra) that looks like an identifier: most rows have it, and values rarely repeat. */
export interface ExtraColumn {
  key: string;
  pool: Pool;
  values: Int32Array;
  /** Declared by the user (carnet dedupe identifier add): a fixed, strong weight. */
  declared?: boolean;
}

const MAX_EXTRA_SEEN = 16;
const MAX_EXTRA_USED = 3;

export class MatchTable {
  n = 0;
  readonly ids: Float64Array;
  readonly first: Int32Array;
  readonly last: Int32Array;
  readonly firstPh: Int32Array;
  readonly lastPh: Int32Array;
  readonly company: Int32Array;
  readonly email: Int32Array;
  readonly local: Int32Array;
  readonly phone1: Float64Array;
  readonly phone2: Float64Array;
  /**
   * The last seven digits of a phone carnet could not read as a number of any
   * country (kept in extra by import: "555-1234", "310/246-1501" in a file with
   * no country), NaN when none: such a phone still compares with the end of
   * another (see comparePair).
   */
  readonly phoneTail: Float64Array;
  phoneTails = 0;
  readonly siren: Int32Array;
  readonly birth: Int32Array;
  readonly postal: Int32Array;
  readonly dept: Int32Array;
  readonly city: Int32Array;
  readonly address: Int32Array;
  readonly firstPool = new Pool();
  readonly lastPool = new Pool();
  readonly phPool = new Pool();
  readonly companyPool = new Pool();
  readonly emailPool = new HashPool();
  readonly localPool = new Pool();
  readonly postalPool = new Pool();
  readonly deptPool = new Pool();
  readonly cityPool = new Pool();
  readonly addressPool = new Pool();
  readonly phoneCounts = new Map<number, number>();
  /** Jaro–Winkler of first-name pairs by pool ids, filled as pairs are compared. */
  readonly firstSim = new Map<number, number>();
  phoneFilled = 0;
  extras: ExtraColumn[] = [];
  private readonly extraSeen = new Map<string, ExtraColumn>();

  private readonly declaredCols: ExtraColumn[];

  constructor(
    readonly capacity: number,
    private readonly declared: readonly IdentifierDecl[] = [],
  ) {
    this.declaredCols = declared.map((d) => ({ key: d.name, pool: new Pool(), values: new Int32Array(capacity).fill(-1), declared: true }));
    const i32 = () => new Int32Array(capacity).fill(-1);
    this.ids = new Float64Array(capacity);
    this.first = i32();
    this.last = i32();
    this.firstPh = i32();
    this.lastPh = i32();
    this.company = i32();
    this.email = i32();
    this.local = i32();
    this.phone1 = new Float64Array(capacity).fill(Number.NaN);
    this.phone2 = new Float64Array(capacity).fill(Number.NaN);
    this.phoneTail = new Float64Array(capacity).fill(Number.NaN);
    this.siren = i32();
    this.birth = new Int32Array(capacity);
    this.postal = i32();
    this.dept = i32();
    this.city = i32();
    this.address = i32();
  }

  /** Raw value → key, for the columns whose values repeat (names, towns): most rows skip the folding. */
  private readonly phOfFirst: number[] = [];
  private readonly phOfLast: number[] = [];
  private readonly deptOfPostal: number[] = [];
  private readonly keyCaches = new Map<string, Map<string, string>>();
  private cached(kind: string, raw: string | null, make: (s: string | null) => string): string {
    if (!raw) return '';
    let cache = this.keyCaches.get(kind);
    if (!cache) {
      cache = new Map();
      this.keyCaches.set(kind, cache);
    }
    let v = cache.get(raw);
    if (v === undefined) {
      if (cache.size > 50_000) cache.clear();
      v = make(raw);
      cache.set(raw, v);
    }
    return v;
  }

  add(r: MatchRow): void {
    const i = this.n;
    if (i >= this.capacity) return; // rows added between the count and the scan wait for the next run
    this.n++;
    this.ids[i] = r[0];
    const first = this.cached('f', r[1], givenNameKey);
    const last = this.cached('l', r[2], familyNameKey);
    const fid = this.firstPool.intern(first);
    const lid = this.lastPool.intern(last);
    this.first[i] = fid;
    this.last[i] = lid;
    // Phonetic keys and departments are worked out once per distinct name or postcode, not per row.
    if (fid >= 0) this.firstPh[i] = this.phOfFirst[fid] ??= this.phPool.intern(frenchPhonetic(first));
    if (lid >= 0) this.lastPh[i] = this.phOfLast[lid] ??= this.phPool.intern(frenchPhonetic(last));
    this.company[i] = this.companyPool.intern(companyKey(r[3]));
    this.siren[i] = sirenNumber(r[4]);
    const email = emailKey(r[5]);
    this.email[i] = this.emailPool.intern(email);
    this.local[i] = this.localPool.intern(emailLocal(email));
    const p1 = phoneNumber(r[6]);
    let p2 = phoneNumber(r[7]);
    if (p2 === p1) p2 = Number.NaN;
    this.phone1[i] = Number.isNaN(p1) ? p2 : p1;
    this.phone2[i] = Number.isNaN(p1) ? Number.NaN : p2;
    for (const p of [this.phone1[i] ?? Number.NaN, this.phone2[i] ?? Number.NaN]) {
      if (Number.isNaN(p)) continue;
      this.phoneCounts.set(p, (this.phoneCounts.get(p) ?? 0) + 1);
      this.phoneFilled++;
    }
    this.address[i] = this.addressPool.intern(addressKey(r[8], r[9]));
    const postal = r[10] ? r[10].replace(/\s+/g, '').toUpperCase() : '';
    const pid = this.postalPool.intern(postal);
    this.postal[i] = pid;
    if (pid >= 0) {
      const country = r[12];
      this.dept[i] = this.deptOfPostal[pid] ??= this.deptPool.intern(!country || country === 'FR' ? (departmentOf(postal) ?? postal.slice(0, 2)) : postal.slice(0, 2));
    }
    this.city[i] = this.cityPool.intern(this.cached('c', r[11], cityKey));
    this.birth[i] = birthNumber(r[13]);
    const extra = r[14];
    const obj = extra && extra !== '{}' ? parseExtra(extra) : {};
    this.declared.forEach((d, k) => {
      const col = this.declaredCols[k];
      if (col) col.values[i] = col.pool.intern(identifierValue(d, { column: (f) => (f === KEY.externalId ? r[15] : r[16]), extra: obj }));
    });
    this.addExtra(i, obj);
  }

  private addExtra(i: number, obj: Record<string, unknown>): void {
    for (const [key, v] of Object.entries(obj)) {
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      if (Number.isNaN(this.phoneTail[i] ?? 0) && PHONE_KEY.test(key)) {
        const tail = phoneTailOf(String(v));
        if (!Number.isNaN(tail)) {
          this.phoneTail[i] = tail;
          this.phoneTails++;
        }
      }
      let col = this.extraSeen.get(key);
      if (!col) {
        if (this.extraSeen.size >= MAX_EXTRA_SEEN) continue;
        col = { key, pool: new Pool(), values: new Int32Array(this.capacity).fill(-1) };
        this.extraSeen.set(key, col);
      }
      col.values[i] = col.pool.intern(matchText(String(v)).replace(/ /g, ''));
    }
  }

  /**
   * Called once every row is in: keeps the imported columns that can tell
   * people apart (filled on 30 % of rows or more, half its values unique or more),
   * the best three, and forgets the others.
   */
  seal(): void {
    const scored: [number, ExtraColumn][] = [];
    for (const col of this.extraSeen.values()) {
      const fill = col.pool.filled / Math.max(1, this.n);
      const distinct = col.pool.values.length / Math.max(1, col.pool.filled);
      // An identifier: most values unique ("Canal d'acquisition" with five values is not one).
      // A phone kept in extra is compared as a phone (phoneTail), not as an identifier.
      if (fill >= 0.3 && distinct >= 0.5 && col.pool.values.length >= 10 && !PHONE_KEY.test(col.key)) scored.push([fill * distinct, col]);
    }
    scored.sort((a, b) => b[0] - a[0]);
    const declared = new Set(this.declared.filter((d) => !d.field).map((d) => d.name));
    this.extras = [...this.declaredCols, ...scored.filter(([, c]) => !declared.has(c.key)).slice(0, MAX_EXTRA_USED).map(([, c]) => c)];
    this.extraSeen.clear();
    for (const p of [this.firstPool, this.lastPool, this.phPool, this.companyPool, this.emailPool, this.localPool, this.postalPool, this.deptPool, this.cityPool, this.addressPool]) p.freeIndex();
    for (const c of this.extras) c.pool.freeIndex();
    this.keyCaches.clear();
  }

  phoneTf(p: number): number {
    return this.phoneFilled === 0 ? 0 : (this.phoneCounts.get(p) ?? 0) / this.phoneFilled;
  }

  phoneAgreement(): number {
    if (this.phoneFilled === 0) return 0;
    let s = 0;
    for (const c of this.phoneCounts.values()) s += (c / this.phoneFilled) ** 2;
    return s;
  }

  /** Index of a customer id (ids are read in ascending order), or -1. */
  indexOf(id: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.ids[mid] ?? 0;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
