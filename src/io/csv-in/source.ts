import { accessSync, constants, createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputRejectedError } from '../../core/errors.js';

/** Where the bytes of an import come from: a file (which can be read again) or stdin (once). */
export interface CsvSource {
  /** Shown in messages and recorded as the consents' source: the file's name, or "stdin". */
  name: string;
  /** Absolute path, null for stdin. */
  path: string | null;
  /** Size in bytes when known (a file), for the progress bar's ETA. */
  size: number | null;
  /** The bytes from the start. A file may be opened again (to retry with another encoding); stdin only once. */
  open(): AsyncIterable<Buffer>;
}

const CHUNK = 1 << 20;

export function fileSource(path: string): CsvSource {
  const abs = resolve(path);
  let size: number;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) throw new InputRejectedError(`${path} is a folder, not a CSV file`, 'give the path of a .csv file, or - to read stdin');
    accessSync(abs, constants.R_OK);
    size = st.size;
  } catch (err) {
    if (err instanceof InputRejectedError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputRejectedError(
      code === 'ENOENT' ? `cannot read ${path}: no such file` : `cannot read ${path} (${code ?? 'error'})`,
      code === 'ENOENT' ? 'check the path (or pass - to read stdin)' : 'check the file permissions',
    );
  }
  return {
    name: basename(abs),
    path: abs,
    size,
    open: () => createReadStream(abs, { highWaterMark: CHUNK }),
  };
}

export function stdinSource(stream: NodeJS.ReadableStream = process.stdin): CsvSource {
  let opened = false;
  return {
    name: 'stdin',
    path: null,
    size: null,
    open: () => {
      if (opened) throw new InputRejectedError('stdin cannot be read twice', 'save it to a file, or pass --encoding so that carnet does not have to guess');
      opened = true;
      return stream as AsyncIterable<Buffer>;
    },
  };
}

export function openSource(pathOrDash: string): CsvSource {
  return pathOrDash === '-' ? stdinSource() : fileSource(pathOrDash);
}

/** The first `n` bytes of a stream (or all of it when shorter), and an iterable that yields them then the rest. */
export async function peek(stream: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = stream[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    parts.push(b);
    size += b.length;
  }
  const head = Buffer.concat(parts);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    }
  }
  return { head: head.subarray(0, Math.min(n, head.length)), all: all() };
}
