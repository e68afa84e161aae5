import { PrivateFile } from './private-file.js';
import { BOM, CellKind, csvLineEncoder } from './write-csv.js';

/**
 * The rejects file: every row an import refused, as it was in the file, with
 * the line, the field and the reason in front. It holds personal data, so it
 * is written by PrivateFile (0600, under a temporary name, renamed when the
 * import is done: never through a symlink, never half a file). Its own
 * columns are prefixed `carnet_` so that the file, once corrected, can be
 * imported again as it is (import ignores them). It is meant to be opened in
 * a spreadsheet, so it goes through the guarded CSV encoder: a cell that
 * would run as a formula gets a leading `'`.
 * Opened lazily: no rows refused, no file.
 */
export const REJECT_COLUMNS = ['carnet_line', 'carnet_field', 'carnet_reason'] as const;

export class RejectsWriter {
  private file: PrivateFile | null = null;
  private buffer = '';
  private written = 0;
  private readonly line: (cells: readonly unknown[]) => string;

  constructor(
    readonly path: string,
    private readonly header: readonly string[],
    delimiter: string,
  ) {
    // A rejected row may have more or fewer cells than the header: one encoder per width, every cell kept.
    const encoders = new Map<number, (cells: readonly unknown[]) => string>();
    this.line = (cells) => {
      let encode = encoders.get(cells.length);
      if (encode === undefined) {
        encode = csvLineEncoder(cells.map(() => CellKind.text), { delimiter, eol: '\r\n', neutralise: true, decimalComma: false });
        encoders.set(cells.length, encode);
      }
      return encode(cells);
    };
  }

  get count(): number {
    return this.written;
  }

  private open(): void {
    this.file = PrivateFile.create(this.path, 'the rejects file');
    // UTF-8 with a BOM: what Excel needs to show accents right.
    this.buffer = BOM + this.line([...REJECT_COLUMNS, ...this.header]);
  }

  write(line: number, field: string, reason: string, cells: readonly string[]): void {
    if (this.file === null) this.open();
    this.buffer += this.line([line, field, reason, ...cells]);
    this.written++;
    if (this.buffer.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.file !== null && this.buffer.length > 0) {
      this.file.write(this.buffer);
      this.buffer = '';
    }
  }

  /** Puts the file in place (when a row was refused). */
  close(): void {
    if (this.file === null) return;
    this.flush();
    this.file.commit();
    this.file = null;
  }

  /** The import failed: no rejects file (the previous one at that name, if any, is untouched). */
  abort(): void {
    this.file?.abort();
    this.file = null;
    this.buffer = '';
  }
}
