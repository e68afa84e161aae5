import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createInflateRaw } from 'node:zlib';
import { BookReadError } from './errors.js';

/**
 * Just enough of ZIP to read a workbook without trusting it: the central
 * directory (random access, so a reader goes straight to the sheet it
 * wants), and each entry inflated as a stream whose output is counted and
 * cut off. An entry that inflates past its budget is a zip bomb and stops
 * the import (exit 3) before it costs memory or much time.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** No entry of a real workbook inflates this much more than its compressed size… */
const MAX_RATIO = 200;
/** …once past this size (small entries of repeated tags compress very well). */
const RATIO_FLOOR = 16 << 20;
/** And none is bigger than this, whatever its ratio (a 1,048,576-row sheet of 30 columns is well under). */
const MAX_ENTRY = 3 * 1024 ** 3;

export function inflateBudget(compressedSize: number): number {
  return Math.min(MAX_ENTRY, Math.max(RATIO_FLOOR, compressedSize * MAX_RATIO));
}

function corrupted(name: string, what: string): BookReadError {
  return new BookReadError(`${name} is not a readable workbook: ${what}`);
}

export class ZipFile {
  readonly entries = new Map<string, ZipEntry>();

  private constructor(
    readonly path: string,
    readonly name: string,
  ) {}

  /** Reads the central directory; a file that has none is corrupted (or truncated). */
  static open(path: string, name: string): ZipFile {
    const zip = new ZipFile(path, name);
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const tailLen = Math.min(size, 65_557);
      const tail = Buffer.alloc(tailLen);
      readSync(fd, tail, 0, tailLen, size - tailLen);
      let eocd = -1;
      for (let i = tailLen - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === 0x06054b50) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) throw corrupted(name, 'the archive has no central directory (truncated or damaged)');
      const count = tail.readUInt16LE(eocd + 10);
      const dirSize = tail.readUInt32LE(eocd + 12);
      const dirOffset = tail.readUInt32LE(eocd + 16);
      if (dirOffset === 0xffffffff || count === 0xffff) throw corrupted(name, 'ZIP64 archives are not supported');
      if (dirOffset + dirSize > size) throw corrupted(name, 'the central directory points past the end of the file');
      const dir = Buffer.alloc(dirSize);
      readSync(fd, dir, 0, dirSize, dirOffset);
      let p = 0;
      for (let n = 0; n < count; n++) {
        if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50) throw corrupted(name, 'the central directory is damaged');
        const method = dir.readUInt16LE(p + 10);
        const compressedSize = dir.readUInt32LE(p + 20);
        const uncompressed = dir.readUInt32LE(p + 24);
        const nameLen = dir.readUInt16LE(p + 28);
        const extraLen = dir.readUInt16LE(p + 30);
        const commentLen = dir.readUInt16LE(p + 32);
        const localOffset = dir.readUInt32LE(p + 42);
        const entryName = dir.toString('utf8', p + 46, p + 46 + nameLen);
        if (localOffset + compressedSize > size) throw corrupted(name, `entry ${entryName} points past the end of the file`);
        zip.entries.set(entryName.replace(/^\//, ''), { name: entryName, method, compressedSize, size: uncompressed, localOffset });
        p += 46 + nameLen + extraLen + commentLen;
      }
    } finally {
      closeSync(fd);
    }
    return zip;
  }

  has(entry: string): boolean {
    return this.entries.has(entry);
  }

  /** Start of an entry's data: after its local header, whose name and extra lengths may differ from the directory's. */
  private dataStart(e: ZipEntry): number {
    const fd = openSync(this.path, 'r');
    try {
      const h = Buffer.alloc(30);
      readSync(fd, h, 0, 30, e.localOffset);
      if (h.readUInt32LE(0) !== 0x04034b50) throw corrupted(this.name, `entry ${e.name} is damaged`);
      return e.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
    } finally {
      closeSync(fd);
    }
  }

  /** The inflated bytes of an entry, as a stream; past its budget the stream fails with a clear error. */
  async *stream(entryName: string): AsyncGenerator<Buffer> {
    const e = this.entries.get(entryName);
    if (!e) throw corrupted(this.name, `it has no ${entryName}`);
    if (e.method !== 0 && e.method !== 8) throw corrupted(this.name, `entry ${e.name} uses an unknown compression (method ${e.method})`);
    const start = this.dataStart(e);
    const raw = createReadStream(this.path, { start, end: Math.max(start, start + e.compressedSize - 1), highWaterMark: 1 << 16 });
    const budget = inflateBudget(e.compressedSize);
    let out = 0;
    const source: AsyncIterable<Buffer> = e.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: 1 << 16 })) : raw;
    try {
      for await (const b of source) {
        out += (b as Buffer).length;
        if (out > budget) {
          throw new BookReadError(
            `${this.name} looks like a zip bomb: ${e.name} inflates to more than ${Math.round(budget / 2 ** 20)} MB from ${Math.round(e.compressedSize / 1024)} KB`,
            'a spreadsheet never compresses this much; if the file is genuine, export it as CSV',
          );
        }
        yield b as Buffer;
      }
    } catch (err) {
      if (err instanceof BookReadError) throw err;
      throw corrupted(this.name, `${e.name} cannot be inflated (${(err as Error).message})`);
    } finally {
      raw.destroy();
    }
  }

  /** A small entry (workbook.xml, styles, rels) as text, with the same budget. */
  async text(entryName: string, limit = 64 << 20): Promise<string> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const b of this.stream(entryName)) {
      n += b.length;
      if (n > limit) throw new BookReadError(`${this.name}: ${entryName} is larger than ${limit >> 20} MB, which no real workbook has`);
      parts.push(b);
    }
    return Buffer.concat(parts).toString('utf8');
  }
}
