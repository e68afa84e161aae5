import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import type { ByteSink } from './write-book.js';

/**
 * A ZIP written front to back into a sink with backpressure, for the
 * workbooks export writes (.xlsx, .ods): whole small entries, and streamed
 * ones whose sizes follow their data, so that a sheet of a million rows
 * never sits in memory.
 */

const CRC_TABLE = new Int32Array(256).map((_v, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(buf: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < buf.length; i++) c = (CRC_TABLE[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

interface Entry {
  name: Buffer;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
  /** 0 stored, 8 deflated. */
  method: 0 | 8;
}

/** A ZIP written front to back: whole small entries, one streamed entry (sizes in a data descriptor). */
export class ZipOut {
  private offset = 0;
  private readonly entries: Entry[] = [];
  constructor(private readonly sink: ByteSink) {}

  private async put(b: Uint8Array): Promise<void> {
    this.offset += b.length;
    const wait = this.sink.write(b);
    if (wait) await wait;
  }

  private header(name: Buffer, streamed: boolean, crc: number, csize: number, usize: number, method: 0 | 8 = 8): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(streamed ? 0x0808 : 0x0800, 6); // UTF-8 names; bit 3: sizes after the data
    h.writeUInt16LE(method, 8);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(csize, 18);
    h.writeUInt32LE(usize, 22);
    h.writeUInt16LE(name.length, 26);
    return h;
  }

  /** A whole entry, deflated — or `stored` as it is (an OpenDocument's mimetype must be). */
  async whole(nameText: string, text: string, stored = false): Promise<void> {
    const name = Buffer.from(nameText, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const body = stored ? data : deflateRawSync(data);
    const e: Entry = { name, crc: crc32(data), csize: body.length, usize: data.length, offset: this.offset, method: stored ? 0 : 8 };
    this.entries.push(e);
    await this.put(Buffer.concat([this.header(name, false, e.crc, e.csize, e.usize, e.method), name, body]));
  }

  /** Starts a streamed entry; write text to it, then end() it. */
  async streamed(nameText: string): Promise<{ write: (text: string) => Promise<void> | undefined; end: () => Promise<void> }> {
    const name = Buffer.from(nameText, 'utf8');
    const e: Entry = { name, crc: 0, csize: 0, usize: 0, offset: this.offset, method: 8 };
    this.entries.push(e);
    await this.put(Buffer.concat([this.header(name, true, 0, 0, 0), name]));
    const deflate = createDeflateRaw({ level: 6 });
    const pump = (async () => {
      for await (const chunk of deflate) {
        e.csize += (chunk as Buffer).length;
        await this.put(chunk as Buffer);
      }
    })();
    return {
      write: (text) => {
        const data = Buffer.from(text, 'utf8');
        e.crc = crc32(data, e.crc);
        e.usize += data.length;
        if (deflate.write(data)) return undefined;
        return new Promise((resolve) => deflate.once('drain', () => resolve()));
      },
      end: async () => {
        deflate.end();
        await pump;
        const d = Buffer.alloc(16);
        d.writeUInt32LE(0x08074b50, 0);
        d.writeUInt32LE(e.crc, 4);
        d.writeUInt32LE(e.csize, 8);
        d.writeUInt32LE(e.usize, 12);
        await this.put(d);
      },
    };
  }

  async close(): Promise<void> {
    const start = this.offset;
    const dir: Buffer[] = [];
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0800, 8);
      c.writeUInt16LE(e.method, 10);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(e.csize, 20);
      c.writeUInt32LE(e.usize, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE(e.offset, 42);
      dir.push(c, e.name);
    }
    const cd = Buffer.concat(dir);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(start, 16);
    await this.put(Buffer.concat([cd, end]));
  }
}

/** Characters XML 1.0 cannot hold are dropped; &, < and > escaped (text content, never an attribute). */
export function xmlChars(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
