import { InputRejectedError } from '../../core/errors.js';

/**
 * A workbook or address book that cannot be read: a corrupted archive, a
 * zip bomb, an XML entity bomb, a sheet or card that is not what its
 * format says. Exit code 3, like every rejected input; the message names
 * the file and, when known, the sheet, row or card.
 */
export class BookReadError extends InputRejectedError {
  constructor(message: string, hint?: string) {
    super(message, hint ?? 'open the file in the program that wrote it and save it again, or export it as CSV');
  }
}

/** A file read more than once (an address book) that is not what it was at the first read. */
export function changedWhileRead(fileName: string): BookReadError {
  return new BookReadError(`${fileName} changed while it was being read`, 'run the import again once the program that writes it has finished');
}
