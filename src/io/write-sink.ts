import { resolve } from 'node:path';
import { AppError } from '../core/errors.js';
import { fsFailure } from './fs-errors.js';
import { PrivateFile } from './private-file.js';

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
 * A file written through PrivateFile: under a temporary name next to its
 * final place, mode 0600 from the first byte (it holds personal data), and
 * renamed over the target only when complete: a reader never sees half an
 * export, a failed one leaves the previous file as it was, a symlink at the
 * target is replaced rather than written through, and a missing folder is
 * created.
 */
class FileSink implements Sink {
  private readonly file: PrivateFile;

  constructor(target: string) {
    this.file = PrivateFile.create(target, 'the export');
  }

  get broken(): boolean {
    return false;
  }

  onBroken(): void {
    // a file never goes away under us
  }

  write(chunk: string | Uint8Array, written?: () => void): undefined {
    this.file.write(chunk);
    written?.();
    return undefined;
  }

  async close(): Promise<void> {
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}

/** The output stream failed (stdout to a full disk): the machine's state, in words. */
function writeError(err: NodeJS.ErrnoException, where: string): AppError {
  return fsFailure(err, where, 'it');
}

/** `-` or nothing means the given stream (stdout); anything else is a file path. */
export function openSink(out: string | null | undefined, stdout: NodeJS.WritableStream): Sink {
  if (out === undefined || out === null || out === '' || out === '-') return new StreamSink(stdout);
  return new FileSink(resolve(out));
}
