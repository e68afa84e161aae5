import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/**
 * Many strings looked for in one pass over the bytes, whatever their number:
 * the byte-level check of a purge erasing 100,000 people, the merge snapshots
 * that quote any of them. A rolling hash of a short window runs along the
 * bytes; each needle is filed under one of its own windows (the one whose
 * bucket is emptiest, so that 100,000 phones starting `+336` do not all land
 * in one bucket), and a hit is confirmed by comparing the whole needle.
 */
const WIDE = 8;
const NARROW = 4;
const BITS = 1 << 24;

interface Entry {
  needle: number;
  /** Where the filed window starts inside the needle. */
  offset: number;
}

class Windows {
  private readonly buckets = new Map<number, Entry[]>();
  private readonly seen = new Uint8Array(BITS >>> 3);
  constructor(readonly width: number) {}

  add(needle: number, bytes: Buffer): void {
    let best = 0;
    let bestSize = Infinity;
    for (let o = 0; o + this.width <= bytes.length; o++) {
      const size = this.buckets.get(windowHash(bytes, o, this.width))?.length ?? 0;
      if (size < bestSize) {
        best = o;
        bestSize = size;
        if (size === 0) break;
      }
    }
    const h = windowHash(bytes, best, this.width);
    const list = this.buckets.get(h);
    if (list) list.push({ needle, offset: best });
    else this.buckets.set(h, [{ needle, offset: best }]);
    const b = h >>> 8;
    this.seen[b >>> 3] = (this.seen[b >>> 3] ?? 0) | (1 << (b & 7));
  }

  get empty(): boolean {
    return this.buckets.size === 0;
  }

  scan(buf: Buffer, needles: Buffer[], found: Set<number>): void {
    const w = this.width;
    if (buf.length < w) return;
    let hi = 0;
    let lo = 0;
    for (let i = 0; i < buf.length; i++) {
      hi = ((hi << 8) | (lo >>> 24)) >>> 0;
      lo = ((lo << 8) | (buf[i] ?? 0)) >>> 0;
      if (i < w - 1) continue;
      const h = mix(w === WIDE ? hi : 0, lo);
      const b = h >>> 8;
      if (((this.seen[b >>> 3] ?? 0) & (1 << (b & 7))) === 0) continue;
      const list = this.buckets.get(h);
      if (!list) continue;
      const start = i - w + 1;
      for (const e of list) {
        if (found.has(e.needle)) continue;
        const n = needles[e.needle];
        if (!n) continue;
        const at = start - e.offset;
        if (at >= 0 && at + n.length <= buf.length && buf.compare(n, 0, n.length, at, at + n.length) === 0) found.add(e.needle);
      }
    }
  }
}

function mix(hi: number, lo: number): number {
  let h = Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b) ^ lo;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

function windowHash(bytes: Buffer, offset: number, width: number): number {
  let hi = 0;
  let lo = 0;
  for (let i = offset; i < offset + width; i++) {
    hi = ((hi << 8) | (lo >>> 24)) >>> 0;
    lo = ((lo << 8) | (bytes[i] ?? 0)) >>> 0;
  }
  return mix(width === WIDE ? hi : 0, lo);
}

export class NeedleSet {
  private readonly bytes: Buffer[];
  private readonly wide = new Windows(WIDE);
  private readonly narrow = new Windows(NARROW);
  readonly longest: number;

  constructor(readonly needles: readonly string[]) {
    this.bytes = needles.map((n) => Buffer.from(n, 'utf8'));
    this.bytes.forEach((b, i) => {
      if (b.length >= WIDE) this.wide.add(i, b);
      else if (b.length >= NARROW) this.narrow.add(i, b);
    });
    this.longest = this.bytes.reduce((m, b) => Math.max(m, b.length), 0);
  }

  get size(): number {
    return this.needles.length;
  }

  /** Adds to `found` the indices of the needles that occur in buf. */
  scan(buf: Buffer, found: Set<number>): Set<number> {
    if (!this.wide.empty) this.wide.scan(buf, this.bytes, found);
    if (!this.narrow.empty) this.narrow.scan(buf, this.bytes, found);
    return found;
  }

  /** The needles found in a text (a merge snapshot, a column's value). */
  in(text: string): number[] {
    return [...this.scan(Buffer.from(text, 'utf8'), new Set())];
  }

  /** Indices of the needles found in these files, read once each in chunks (memory stays flat). */
  inFiles(paths: string[], found = new Set<number>()): Set<number> {
    const chunk = 16 << 20;
    const overlap = Math.max(0, this.longest - 1);
    for (const path of paths) {
      if (!existsSync(path) || statSync(path).size === 0) continue;
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.allocUnsafe(chunk + overlap);
        let kept = 0;
        let pos = 0;
        for (;;) {
          const n = readSync(fd, buf, kept, chunk, pos);
          if (n === 0) break;
          pos += n;
          const end = kept + n;
          this.scan(buf.subarray(0, end), found);
          if (found.size === this.needles.length) return found;
          // The last bytes read start the next chunk: a needle across two chunks is seen whole.
          kept = Math.min(overlap, end);
          buf.copyWithin(0, end - kept, end);
        }
      } finally {
        closeSync(fd);
      }
    }
    return found;
  }
}
