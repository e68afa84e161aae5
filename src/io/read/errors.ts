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
