import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';

/**
 * Where an export's bytes go. Writers hand over big string chunks; `write`
 * returns a promise only when the reader is slower than us (backpressure),
 * so the common case costs no microtask.
 */
export interface Sink {
  /** `written` runs once the bytes are out of the caller's hands (the chunk may then be reused). */
  write(chunk: string | Uint8Array, written?: () => void): Promise<void> | undefined;
  /** Flushes and, for a file, renames the temporary file into place. */
  close(): Promise<void>;
  /** Drops what was written (a file's temporary copy is removed). */
  abort(): void;
  /** True once the reader went away (`| head`): stop producing. */
  readonly broken: boolean;
  /**
   * Runs fn synchronously the moment the reader goes away, before anyone
   * else hears of it (the CLI exits 0 on EPIPE right after): the caller can
   * still record what was sent.
   */
  onBroken(fn: () => void): void;
}

type Listener = (err: NodeJS.ErrnoException) => void;

/** A stream we do not own (stdout): honours 'drain' and treats EPIPE as a reader that left. */
class StreamSink implements Sink {
  private brokenFlag = false;
  private failure: NodeJS.ErrnoException | null = null;
  private readonly hooks: (() => void)[] = [];
  private wake: (() => void) | null = null;
  private readonly onError: Listener;

  constructor(private readonly stream: NodeJS.WritableStream) {
    this.onError = (err) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
        if (!this.brokenFlag) {
          this.brokenFlag = true;
          for (const fn of this.hooks) fn();
        }
      } else this.failure = err;
      this.wake?.();
    };
    // First in line: the CLI's own EPIPE handler exits the process.
    stream.prependListener('error', this.onError);
  }

  get broken(): boolean {
    return this.brokenFlag;
  }

  onBroken(fn: () => void): void {
    this.hooks.push(fn);
  }

  write(chunk: string | Uint8Array, written?: () => void): Promise<void> | undefined {
    this.check();
    if ((this.stream as { destroyed?: boolean }).destroyed && !this.brokenFlag) this.onError(Object.assign(new Error('destroyed'), { code: 'ERR_STREAM_DESTROYED' }));
    if (this.brokenFlag || chunk.length === 0) return undefined;
    // The callback runs when the stream is done with the chunk, flushed or failed.
    if (this.stream.write(chunk, written ? () => written() : undefined)) return undefined;
    return new Promise<void>((resolveDrain) => {
      const done = (): void => {
        this.wake = null;
        this.stream.removeListener('drain', done);
        this.stream.removeListener('close', done);
        resolveDrain();
      };
      this.wake = done;
      this.stream.once('drain', done);
      this.stream.once('close', done);
    }).then(() => this.check());
  }

  private check(): void {
    if (this.failure) throw writeError(this.failure, 'the output');
  }

  async close(): Promise<void> {
    this.stream.removeListener('error', this.onError);
    this.check();
  }

  abort(): void {
    this.stream.removeListener('error', this.onError);
  }
}

/**
 * A file written under a temporary name next to its final place, with mode
 * 0600 from the first byte (it holds personal data), and renamed over the
 * target only when complete: a reader never sees half an export, and a
 * failed one leaves the previous file as it was.
 */
class FileSink implements Sink {
  private fd: number | null;
  private readonly tmp: string;
  private done = false;
  private readonly cleanup = (): void => this.removeTemp();

  constructor(private readonly target: string) {
    const dir = dirname(target);
    let isDir = false;
    try {
      isDir = statSync(target).isDirectory();
    } catch {
      // absent: fine, it is created
    }
    if (isDir) throw new AppError(`${target} is a folder`, { hint: 'give a file name to --out, e.g. --out clients.csv' });
    this.tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.tmp, 'wx', 0o600);
    } catch (err) {
      throw writeError(err as NodeJS.ErrnoException, dir);
    }
    // Interrupted (Ctrl-C, a closed terminal): never leave a stray copy of the data behind.
    process.once('exit', this.cleanup);
  }

  get broken(): boolean {
    return false;
  }

  onBroken(): void {
    // a file never goes away under us
  }

  write(chunk: string | Uint8Array, written?: () => void): undefined {
    if (this.fd === null) throw new Error('write after close');
    try {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off);
    } catch (err) {
      this.abort();
      throw writeError(err as NodeJS.ErrnoException, this.target);
    }
    written?.();
    return undefined;
  }

  async close(): Promise<void> {
    if (this.fd === null) return;
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
      renameSync(this.tmp, this.target);
      this.done = true;
    } catch (err) {
      this.abort();
      throw writeError(err as NodeJS.ErrnoException, this.target);
    } finally {
      process.removeListener('exit', this.cleanup);
    }
  }

  abort(): void {
    this.removeTemp();
    process.removeListener('exit', this.cleanup);
  }

  private removeTemp(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = null;
    }
    if (!this.done) {
      try {
        unlinkSync(this.tmp);
      } catch {
        // never created or already gone
      }
    }
  }
}

function writeError(err: NodeJS.ErrnoException, where: string): AppError {
  switch (err.code) {
    case 'ENOSPC':
      return new AppError(`the disk is full while writing ${where}`, { hint: 'free some space and run the export again; nothing was replaced' });
    case 'EACCES':
    case 'EPERM':
      return new AppError(`cannot write to ${where}: permission denied`, { hint: 'choose a folder you may write to' });
    case 'ENOENT':
    case 'ENOTDIR':
      return new AppError(`cannot write to ${where}: the folder does not exist`, { hint: 'create the folder first, or check the path' });
    default:
      return new AppError(`cannot write ${where}: ${err.message}`, { hint: 'check the path and the disk, then run the export again' });
  }
}

/** `-` or nothing means the given stream (stdout); anything else is a file path. */
export function openSink(out: string | null | undefined, stdout: NodeJS.WritableStream): Sink {
  if (out === undefined || out === null || out === '' || out === '-') return new StreamSink(stdout);
  return new FileSink(resolve(out));
}
