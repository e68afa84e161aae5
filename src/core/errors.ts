/**
 * Every failure the user can act on is an AppError: a message saying what
 * happened, a hint saying what to do, and the exit code scripts rely on.
 * Only src/cli/main.ts turns these into process exits.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  rejected: 3,
  notFound: 4,
  busy: 5,
  /** The machine's state, not carnet's doing: disk full, read-only file, folder or mount, no permission. */
  machine: 6,
  cancelled: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class AppError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  /** Extra structured data for --json error output (candidates, positions…). */
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, opts: { exitCode?: ExitCodeValue; hint?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
    this.hint = opts.hint;
    this.details = opts.details;
  }
}

export class UsageError extends AppError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, { exitCode: ExitCode.usage, hint, details });
  }
}

/** A value the user gave that fails validation; names the field. */
export class ValidationError extends AppError {
  readonly field: string;
  constructor(field: string, message: string, hint?: string) {
    super(`${field}: ${message}`, { exitCode: ExitCode.rejected, hint, details: { field } });
    this.field = field;
  }
}

export class InputRejectedError extends AppError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, { exitCode: ExitCode.rejected, hint, details });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, hint?: string, details?: Record<string, unknown>) {
    super(message, { exitCode: ExitCode.notFound, hint, details });
  }
}

export class BusyError extends AppError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.busy, hint });
  }
}

/** Another carnet held the writers' lock longer than the busy timeout (CARNET_BUSY_TIMEOUT): the same words on both engines. */
export function writerBusy(): BusyError {
  return new BusyError('the database is busy: another carnet is writing to it', 'wait for it to finish (a nightly import?) and run the command again');
}

/**
 * The disk is full, or a file, folder or mount is read-only or not ours to
 * write: the machine's state, not a bug (exit 6). The message says what, the
 * hint what to do; every caller guarantees nothing was changed.
 */
export class MachineError extends AppError {
  constructor(message: string, hint: string) {
    super(message, { exitCode: ExitCode.machine, hint });
  }
}

export class CancelledError extends AppError {
  constructor(message = 'cancelled') {
    super(message, { exitCode: ExitCode.cancelled });
  }
}

/**
 * An exit code with nothing more to say: the command already told the user
 * (e.g. an import that imported the valid rows and listed the rejected ones: exit 3).
 */
export class QuietExit extends AppError {
  constructor(exitCode: ExitCodeValue) {
    super('', { exitCode });
  }
}
