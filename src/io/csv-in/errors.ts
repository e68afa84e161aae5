import { InputRejectedError } from '../../core/errors.js';

/**
 * A file that cannot be read as CSV: bad quoting, bytes that are not in the
 * encoding, a file with no data. Always names the line, so the person can
 * open the file there. Exit code 3, like every rejected input.
 */
export class CsvReadError extends InputRejectedError {
  readonly line: number | null;
  readonly kind: 'syntax' | 'encoding' | 'empty';
  constructor(kind: 'syntax' | 'encoding' | 'empty', message: string, line: number | null, hint?: string) {
    super(message, hint, { line, kind });
    this.kind = kind;
    this.line = line;
  }
}
