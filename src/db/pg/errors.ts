import { AppError, BusyError, ExitCode, MachineError } from '../../core/errors.js';
import type { WireError } from './protocol.js';

/** An error from the server or the connection, with its SQLSTATE (or Node's code) as `code`. */
export class PgError extends Error {
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;

  constructor(e: WireError) {
    super(e.message);
    this.name = 'PgError';
    this.code = e.code;
    this.detail = e.detail;
    this.constraint = e.constraint;
  }
}

/** SQLSTATEs that mean "another session was in the way": the transaction is retried (Store.tx). */
export const RETRYABLE = new Set(['40001', '40P01', '55P03']);

/**
 * A PostgreSQL or connection error the user can act on, in words, naming the
 * database by its redacted URL (never a password: node-postgres's messages do
 * not carry one, and `where` is already redacted).
 */
export function pgAsAppError(err: unknown, where: string): unknown {
  if (err instanceof AppError || !(err instanceof PgError)) return err;
  const code = err.code ?? '';
  if (RETRYABLE.has(code)) {
    return new BusyError(`${where} is busy: another carnet kept it locked (${err.message})`, 'wait for it to finish and run the command again');
  }
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || code === 'ENOTFOUND' || code === '57P03') {
    return new AppError(`cannot reach the PostgreSQL server of ${where} (${code === '57P03' ? 'it is starting up or shutting down' : code})`, {
      exitCode: ExitCode.busy,
      hint: 'check that the server runs and the host/port (or socket directory) in the URL; `pg_isready` tells',
    });
  }
  if (code === '28P01' || code === '28000') {
    return new AppError(`PostgreSQL refused the login for ${where} (${code === '28P01' ? 'wrong password' : 'no access for this role from here'})`, {
      exitCode: ExitCode.failure,
      hint: 'check the user in the URL, PGPASSWORD or ~/.pgpass, and pg_hba.conf',
    });
  }
  if (/does not support SSL/i.test(err.message)) {
    return new AppError(`the PostgreSQL server of ${where} offers no TLS, and the URL asks for it (sslmode)`, {
      exitCode: ExitCode.failure,
      hint: 'ask the administrator to turn ssl on, or use sslmode=prefer on a network you trust',
    });
  }
  if (/self[- ]signed certificate|unable to verify|certificate/i.test(err.message) && code !== '28P01') {
    return new AppError(`the TLS certificate of the PostgreSQL server of ${where} could not be verified (${err.message})`, {
      exitCode: ExitCode.failure,
      hint: 'give the server\'s CA with sslrootcert=FILE, or use sslmode=require to encrypt without checking the server',
    });
  }
  if (code === '3D000') {
    return new AppError(`the database of ${where} does not exist`, { exitCode: ExitCode.notFound, hint: 'create it once with `createdb NAME` (or ask the administrator), then run the command again' });
  }
  if (code === '42501') {
    return new AppError(`PostgreSQL denied carnet a privilege on ${where}: ${err.message}`, {
      exitCode: ExitCode.failure,
      hint: 'grant the role the privileges `carnet doctor` lists (README: "A team on one file")',
    });
  }
  if (code === '53100') return new MachineError(`the PostgreSQL server of ${where} has no disk space left: nothing was written`, 'ask the administrator to free space on the server');
  if (code === '57P01' || code === '57P02' || code === '08006' || code === '08003' || code === 'CARNET_WORKER' || code === 'ECONNRESET') {
    return new AppError(`the connection to ${where} was lost (${err.message}): what was not committed was not written`, { exitCode: ExitCode.busy, hint: 'run the command again' });
  }
  return err;
}
