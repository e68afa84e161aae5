import { accessSync, closeSync, constants, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MachineError } from '../core/errors.js';

/**
 * SQLite said it cannot write (READONLY, CANTOPEN, IOERR…): find out why by
 * asking the file system the same question, and say it as the machine's
 * state with what to do. Returns null when the file system sees nothing
 * wrong (the caller keeps SQLite's own words).
 */
export function whyNotWritable(path: string): MachineError | null {
  const dir = dirname(path);
  let fd: number | null = null;
  try {
    fd = openSync(path, constants.O_RDWR);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return readOnlyMount(path);
    if (code === 'EACCES' || code === 'EPERM') {
      return new MachineError(
        `${path} is read-only for you (mode ${modeOf(path)}): carnet cannot write to it; nothing was changed`,
        `make it writable (chmod u+w ${path}) if it should be, or work on a copy (carnet backup COPY, then --db COPY)`,
      );
    }
    if (code === 'ENOENT' && !exists(dir)) return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EROFS') return readOnlyMount(path);
    return new MachineError(
      `the folder ${dir} is not writable for you (mode ${modeOf(dir)}): SQLite keeps the database's journal (-wal, -shm) beside it, even to read; nothing was changed`,
      `make the folder writable (chmod u+w ${dir}), or move the database to a folder you own`,
    );
  }
  return null;
}

export function diskFull(path: string): MachineError {
  return new MachineError(
    `the disk holding ${dirname(path)} is full: nothing was written, the database is as it was`,
    'free some space and run the command again',
  );
}

function readOnlyMount(path: string): MachineError {
  return new MachineError(
    `the disk holding ${path} is mounted read-only: nothing was changed`,
    'remount it read-write, or copy the database to a writable disk and use --db',
  );
}

function modeOf(path: string): string {
  try {
    return (statSync(path).mode & 0o777).toString(8).padStart(3, '0');
  } catch {
    return '?';
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
