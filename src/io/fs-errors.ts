import { AppError, ExitCode, MachineError } from '../core/errors.js';

/**
 * A failed file operation, in words: what happened to which file, what to do,
 * and that nothing was changed (every writer of carnet writes to a temporary
 * file first, so a failure leaves the target as it was). The machine's state
 * — a full disk, a read-only mount, a folder we may not write — is exit 6,
 * never "a bug in carnet".
 */
export function fsFailure(err: unknown, where: string, what = 'the file', verb: 'write' | 'use' = 'write'): AppError {
  if (err instanceof AppError) return err;
  const e = err as NodeJS.ErrnoException;
  const subject = what === 'it' ? where : `${what} (${where})`;
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new MachineError(`the disk is full: cannot ${verb} ${subject}; nothing was changed`, 'free some space and run the command again');
    case 'EROFS':
      return new MachineError(`the disk holding ${where} is mounted read-only: nothing was changed`, 'remount it read-write, or choose a place on another disk');
    case 'EACCES':
    case 'EPERM':
      return new MachineError(
        `cannot ${verb} ${subject}: permission denied; nothing was changed`,
        verb === 'write' ? 'make the folder writable for you, or choose another place' : 'check the permissions of the file and its folders (ls -l)',
      );
    case 'ENOTDIR':
      return new AppError(`cannot ${verb} ${subject}: a part of the path is a file, not a folder`, { exitCode: ExitCode.usage, hint: 'check the path' });
    case 'ELOOP':
      return new AppError(`cannot ${verb} ${subject}: the path goes through a symbolic link loop`, { exitCode: ExitCode.usage, hint: 'check the path' });
    case 'EIO':
      return new MachineError(`the disk failed on ${subject} (input/output error); nothing was changed`, 'check the disk (dmesg), then run the command again');
    default:
      if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
        return new MachineError(`cannot ${verb} ${subject}: ${e.message}`, 'check the path and the disk, then run the command again');
      }
      throw err;
  }
}

/** An error from the file system or the OS that is the machine's state (for the CLI's last line of defence). */
export function isMachineErrno(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'EIO';
}
