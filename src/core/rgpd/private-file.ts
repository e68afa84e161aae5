import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../errors.js';

/**
 * Writes a report that holds personal data: created 0600 (never readable by
 * others, even for an instant), and an existing file is made 0600 before
 * anything is written into it.
 */
export function writePrivateFile(path: string, content: string): { path: string; bytes: number } {
  const target = resolve(path);
  let fd: number;
  try {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    fd = openSync(target, 'w', 0o600);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    throw new AppError(`cannot write ${target} (${code})`, { hint: 'check the folder exists and that you may write to it' });
  }
  try {
    fchmodSync(fd, 0o600);
    const bytes = Buffer.from(content, 'utf8');
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    return { path: target, bytes: bytes.length };
  } finally {
    closeSync(fd);
  }
}
