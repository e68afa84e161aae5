/**
 * The interned value pools of the match table (see table.ts): each distinct
 * value of a column is kept once with how many cells hold it.
 */

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

  /** Counts one more cell holding value `id` (already interned), as intern would. */
  bump(id: number): number {
    if (id < 0) return id;
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
