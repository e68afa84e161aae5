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
import { HashPool, Pool } from './pool.js';

export { HashPool, Pool };

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
const MEMO_MAX = 200_000;
const MEMO_FIRST = 0;
const MEMO_LAST = 1;
const MEMO_COMPANY = 2;
const MEMO_ADDRESS = 3;
const MEMO_POSTAL = 4;
const MEMO_CITY = 5;
const postalKey = (raw: string): string => raw.replace(/\s+/g, '').toUpperCase();

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

  /**
   * Raw cell → pool id, for the columns whose values repeat (names, towns,
   * postcodes, companies, addresses): a repeated value costs one lookup
   * instead of folding, keying and a second lookup in the pool. Bounded, so a
   * million distinct addresses do not all stay; cleared at seal.
   */
  private readonly memos: Map<string, number>[] = [];
  private readonly phOfFirst: number[] = [];
  private readonly phOfLast: number[] = [];
  private readonly deptOfPostal: number[] = [];
  private memo(slot: number, raw: string | null, pool: Pool, make: (s: string) => string): number {
    if (!raw) return pool.intern('');
    let m = this.memos[slot];
    if (!m) {
      m = new Map();
      this.memos[slot] = m;
    }
    const hit = m.get(raw);
    if (hit !== undefined) return pool.bump(hit);
    if (m.size >= MEMO_MAX) m.clear();
    const id = pool.intern(make(raw));
    m.set(raw, id);
    return id;
  }

  add(r: MatchRow): void {
    const i = this.n;
    if (i >= this.capacity) return; // rows added between the count and the scan wait for the next run
    this.n++;
    this.ids[i] = r[0];
    const fid = this.memo(MEMO_FIRST, r[1], this.firstPool, givenNameKey);
    const lid = this.memo(MEMO_LAST, r[2], this.lastPool, familyNameKey);
    this.first[i] = fid;
    this.last[i] = lid;
    // Phonetic keys and departments are worked out once per distinct name or postcode, not per row.
    if (fid >= 0) this.firstPh[i] = this.phOfFirst[fid] ??= this.phPool.intern(frenchPhonetic(this.firstPool.value(fid)));
    if (lid >= 0) this.lastPh[i] = this.phOfLast[lid] ??= this.phPool.intern(frenchPhonetic(this.lastPool.value(lid)));
    this.company[i] = this.memo(MEMO_COMPANY, r[3], this.companyPool, companyKey);
    this.siren[i] = sirenNumber(r[4]);
    const email = emailKey(r[5]);
    this.email[i] = this.emailPool.intern(email);
    this.local[i] = this.localPool.intern(emailLocal(email));
    const p1 = phoneNumber(r[6]);
    let p2 = phoneNumber(r[7]);
    if (p2 === p1) p2 = Number.NaN;
    this.phone1[i] = Number.isNaN(p1) ? p2 : p1;
    this.phone2[i] = Number.isNaN(p1) ? Number.NaN : p2;
    // No array per row: phone1 then phone2, the order the counts were always made in.
    this.countPhone(this.phone1[i] ?? Number.NaN);
    this.countPhone(this.phone2[i] ?? Number.NaN);
    // A second line is rare: only a first line alone is memoised.
    this.address[i] = r[9] ? this.addressPool.intern(addressKey(r[8], r[9])) : this.memo(MEMO_ADDRESS, r[8], this.addressPool, addressKey);
    const pid = this.memo(MEMO_POSTAL, r[10], this.postalPool, postalKey);
    this.postal[i] = pid;
    if (pid >= 0) {
      const country = r[12];
      const postal = this.postalPool.value(pid);
      this.dept[i] = this.deptOfPostal[pid] ??= this.deptPool.intern(!country || country === 'FR' ? (departmentOf(postal) ?? postal.slice(0, 2)) : postal.slice(0, 2));
    }
    this.city[i] = this.memo(MEMO_CITY, r[11], this.cityPool, cityKey);
    this.birth[i] = birthNumber(r[13]);
    const extra = r[14];
    const obj = extra && extra !== '{}' ? parseExtra(extra) : {};
    this.declared.forEach((d, k) => {
      const col = this.declaredCols[k];
      if (col) col.values[i] = col.pool.intern(identifierValue(d, { column: (f) => (f === KEY.externalId ? r[15] : r[16]), extra: obj }));
    });
    this.addExtra(i, obj);
  }

  private countPhone(p: number): void {
    if (Number.isNaN(p)) return;
    this.phoneCounts.set(p, (this.phoneCounts.get(p) ?? 0) + 1);
    this.phoneFilled++;
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
    this.memos.length = 0;
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
