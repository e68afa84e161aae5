import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { countOf } from './count.js';
import type { LineEnding } from './sniff.js';

/**
 * Cuts a byte stream into chunks that end on a record boundary, so that
 * several threads can parse them independently. A newline is a boundary
 * when the number of quote bytes before it is even (RFC 4180 quotes come in
 * pairs, and '"' and the newline bytes never occur inside a multi-byte
 * UTF-8 or single-byte character). Each chunk knows its first line number.
 */

export interface RawChunk {
  index: number;
  /** UTF-8, or the file's single-byte encoding (decoded by whoever parses it). */
  bytes: Buffer;
  /** 1-based line of the file where this chunk starts. */
  firstLine: number;
}

const QUOTE = 0x22;
/** A record longer than this without a boundary is handed over whole: the parser will say what is wrong. */
const MAX_PENDING = 64 << 20;

export function eolByte(eol: LineEnding): number {
  return eol === 'cr' ? 0x0d : 0x0a;
}

/** Index just after the last record boundary of buf, or -1 when there is none. */
export function lastBoundary(buf: Buffer, eol: number): number {
  let nl = buf.lastIndexOf(eol);
  if (nl < 0) return -1;
  let odd = countOf(buf, QUOTE, 0, nl) & 1;
  while (odd === 1) {
    const prev = buf.lastIndexOf(eol, nl - 1);
    if (prev < 0) return -1;
    odd ^= countOf(buf, QUOTE, prev, nl) & 1;
    nl = prev;
  }
  return nl + 1;
}

/**
 * The first record boundary at least `size` bytes after `from` and before `end`, or -1 when none is
 * (`from` and `end` are boundaries: the quotes between them come in pairs).
 */
export function nextBoundary(buf: Buffer, from: number, end: number, size: number, eol: number): number {
  if (end - from <= size) return -1;
  let nl = buf.indexOf(eol, from + size - 1);
  if (nl < 0 || nl + 1 >= end) return -1;
  let odd = countOf(buf, QUOTE, from, nl) & 1;
  while (odd === 1) {
    const next = buf.indexOf(eol, nl + 1);
    if (next < 0 || next + 1 >= end) return -1;
    odd ^= countOf(buf, QUOTE, nl, next) & 1;
    nl = next;
  }
  return nl + 1;
}

export interface ChunkOptions {
  /** Bytes to drop at the start: the BOM, and a preamble line such as "sep=;". */
  skip: number;
  /** The line number of the first byte after them (1 unless a preamble was dropped). */
  firstLine?: number;
  /** 'utf-16le'/'utf-16be' are transcoded to UTF-8 here (their bytes cannot be cut blindly); others pass through. */
  encoding: string;
  eol: LineEnding;
  targetSize: number;
  /** Called with every raw byte block read (for the progress bar and the file's hash). */
  onRaw?: (buf: Buffer) => void;
}

async function* transcoded(stream: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<Buffer> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  for await (const b of stream) {
    const s = decoder.write(b);
    if (s.length > 0) yield Buffer.from(s, 'utf8');
  }
  const tail = decoder.end();
  if (tail) yield Buffer.from(tail, 'utf8');
}

async function* skipping(stream: AsyncIterable<Buffer>, skip: number, onRaw?: (b: Buffer) => void): AsyncGenerator<Buffer> {
  let left = skip;
  for await (const raw of stream) {
    onRaw?.(raw);
    let b = raw;
    if (left > 0) {
      const n = Math.min(left, b.length);
      b = b.subarray(n);
      left -= n;
    }
    if (b.length > 0) yield b;
  }
}

export async function* chunkRecords(stream: AsyncIterable<Buffer>, opts: ChunkOptions): AsyncGenerator<RawChunk> {
  const wide = opts.encoding.startsWith('utf-16');
  let source: AsyncIterable<Buffer> = skipping(stream, opts.skip, opts.onRaw);
  if (wide) source = transcoded(source, opts.encoding);
  const eol = eolByte(opts.eol);
  let pending: Buffer[] = [];
  let pendingSize = 0;
  let index = 0;
  let line = opts.firstLine ?? 1;
  const emit = (bytes: Buffer): RawChunk => {
    const chunk = { index: index++, bytes, firstLine: line };
    line += countOf(bytes, eol);
    return chunk;
  };
  // A read block is 1 MB: it is cut into chunks of about targetSize, so that a batch built on the main
  // thread dies young (a 1 MB chunk's batch outlived the scavenges and was promoted: GC was a quarter of the read).
  function* pieces(buf: Buffer, end: number): Generator<RawChunk> {
    let from = 0;
    for (let next = nextBoundary(buf, from, end, opts.targetSize, eol); next > 0; next = nextBoundary(buf, from, end, opts.targetSize, eol)) {
      yield emit(buf.subarray(from, next));
      from = next;
    }
    yield emit(buf.subarray(from, end));
  }
  for await (const b of source) {
    pending.push(b);
    pendingSize += b.length;
    if (pendingSize < opts.targetSize) continue;
    const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingSize);
    const cut = lastBoundary(buf, eol);
    if (cut <= 0 && buf.length < MAX_PENDING) {
      pending = [buf];
      continue;
    }
    const at = cut <= 0 ? buf.length : cut;
    yield* pieces(buf, at);
    const rest = buf.subarray(at);
    pending = rest.length > 0 ? [rest] : [];
    pendingSize = rest.length;
  }
  if (pendingSize > 0) {
    const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingSize);
    yield* pieces(buf, buf.length);
  }
}

/** A running SHA-256 of the raw bytes, recorded in import_runs to recognise the same file. */
export function hasher(): { update: (b: Buffer) => void; hex: () => string } {
  const h = createHash('sha256');
  return { update: (b) => void h.update(b), hex: () => h.digest('hex') };
}
