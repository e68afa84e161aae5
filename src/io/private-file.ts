import { accessSync, closeSync, constants, fchmodSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError, ExitCode } from '../core/errors.js';
import { fsFailure } from './fs-errors.js';

/**
 * THE way carnet writes a file that holds personal data (reports, rejects,
 * backups, exports, a new database): the bytes go to a temporary file in the
 * target's folder, created 0600 and exclusively (O_EXCL|O_NOFOLLOW: never
 * someone else's file, never through a link), then fsync'd and renamed over
 * the target. So a reader never sees half a file, a failure leaves the target
 * as it was, a symlink at the target is replaced instead of written through,
 * and the data is never readable by others, not even for an instant. A
 * missing parent folder is created 0700.
 *
 * The temporary name is `.<name>.<pid>.<random>.tmp`: a process killed with
 * SIGKILL cannot clean up after itself, so sweepStaleTemps() removes the ones
 * whose process is gone.
 */
export class PrivateFile {
  readonly target: string;
  /** Where the bytes are until commit: SQLite may write there too (VACUUM INTO). */
  readonly tmp: string;
  private fd: number | null;
  private finished = false;
  private readonly onExit = (): void => this.abort();

  private constructor(target: string, what: string) {
    this.target = target;
    const dir = dirname(target);
    try {
      if (lstatSync(target).isDirectory()) {
        throw new AppError(`${target} is a folder`, { exitCode: ExitCode.usage, hint: `give a file name for ${what}, e.g. ${join(target, 'file')}` });
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      // absent: fine, it is created
    }
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw fsFailure(whyNoFolder(dir) ?? err, dir, what);
    }
    // What a carnet killed here earlier (SIGKILL, power cut) could not clean up.
    sweepStaleTemps(dir);
    this.tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      // The umask can only take bits away; this makes sure nothing else was left.
      fchmodSync(this.fd, 0o600);
    } catch (err) {
      this.abort();
      throw fsFailure(err, dir, what);
    }
    // Ctrl-C, a closed terminal: never leave a stray copy of the data behind.
    process.once('exit', this.onExit);
  }

  /** Starts writing `target`; `what` names it in messages ("the access report"). */
  static create(target: string, what = 'the file'): PrivateFile {
    return new PrivateFile(resolve(target), what);
  }

  write(chunk: string | Uint8Array): void {
    if (this.fd === null) throw new Error('PrivateFile: write after commit or abort');
    try {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off);
    } catch (err) {
      this.abort();
      throw fsFailure(err, this.target, 'it');
    }
  }

  /**
   * Flushes to disk and puts the file in place. With `overwrite: false` an
   * existing target is kept, the temporary file dropped, and false returned
   * (a backup never overwrites): link() fails atomically if the name is
   * taken, where a check-then-rename would race.
   */
  commit(opts: { overwrite?: boolean } = {}): boolean {
    if (this.finished) throw new Error('PrivateFile: committed twice');
    try {
      // The file may have been written by someone else (SQLite's VACUUM INTO): flush it all the same.
      const fd = this.fd ?? openSync(this.tmp, constants.O_RDONLY | constants.O_NOFOLLOW);
      this.fd = null;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (opts.overwrite === false) {
        linkSync(this.tmp, this.target);
        unlinkSync(this.tmp);
      } else {
        renameSync(this.tmp, this.target);
      }
      this.finished = true;
      syncFolder(dirname(this.target));
      return true;
    } catch (err) {
      this.abort();
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fsFailure(err, this.target, 'it');
    } finally {
      process.removeListener('exit', this.onExit);
    }
  }

  /** Drops the temporary file (and SQLite's journals beside it); the target is untouched. Safe to call twice. */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = null;
    }
    if (!this.finished) {
      this.finished = true;
      for (const f of [this.tmp, `${this.tmp}-journal`, `${this.tmp}-wal`, `${this.tmp}-shm`]) {
        try {
          unlinkSync(f);
        } catch {
          // never created or already gone
        }
      }
    }
    process.removeListener('exit', this.onExit);
  }
}

/** Writes a whole file the private, atomic way. */
export function writePrivateFile(path: string, content: string | Uint8Array, what = 'the file'): { path: string; bytes: number } {
  const file = PrivateFile.create(path, what);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  file.write(bytes);
  file.commit();
  return { path: file.target, bytes: bytes.length };
}

/** The rename is durable only once the folder's entry is on disk too; some file systems refuse, which is fine. */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Node's recursive mkdir reports ENOENT where the real cause is a read-only
 * disk or a folder we may not write: ask the nearest existing ancestor.
 */
function whyNoFolder(dir: string): NodeJS.ErrnoException | null {
  for (let d = dir; ; d = dirname(d)) {
    try {
      accessSync(d, constants.F_OK);
    } catch {
      if (dirname(d) === d) return null;
      continue;
    }
    try {
      accessSync(d, constants.W_OK);
      return null;
    } catch (err) {
      return err as NodeJS.ErrnoException;
    }
  }
}

const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp(?:-journal|-wal|-shm)?$/;

/**
 * Removes temporary files a killed carnet left in `dir` (its pid is no
 * longer running). Only names of PrivateFile's pattern are touched.
 */
export function sweepStaleTemps(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (m === null || alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(join(dir, name));
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
