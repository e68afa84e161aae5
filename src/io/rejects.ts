import { chmodSync, closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';

/**
 * The rejects file: every row an import refused, as it was in the file, with
 * the line, the field and the reason in front. It holds personal data, so it
 * is created 0600. Its own columns are prefixed `carnet_` so that the file,
 * once corrected, can be imported again as it is (import ignores them).
 * Opened lazily: no rows refused, no file.
 */
export const REJECT_COLUMNS = ['carnet_line', 'carnet_field', 'carnet_reason'] as const;

export class RejectsWriter {
  private fd: number | null = null;
  private buffer = '';
  private written = 0;

  constructor(
    readonly path: string,
    private readonly header: readonly string[],
    private readonly delimiter: string,
  ) {}

  get count(): number {
    return this.written;
  }

  private line(cells: readonly (string | number)[]): string {
    return stringify([cells.map(String)], { delimiter: this.delimiter, record_delimiter: '\r\n' });
  }

  private open(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.fd = openSync(this.path, 'w', 0o600);
    // openSync's mode only applies to a new file: an existing one keeps its mode unless told.
    chmodSync(this.path, 0o600);
    // UTF-8 with a BOM: what Excel needs to show accents right.
    this.buffer = '\ufeff' + this.line([...REJECT_COLUMNS, ...this.header]);
  }

  write(line: number, field: string, reason: string, cells: readonly string[]): void {
    if (this.fd === null) this.open();
    this.buffer += this.line([line, field, reason, ...cells]);
    this.written++;
    if (this.buffer.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.fd !== null && this.buffer.length > 0) {
      writeSync(this.fd, this.buffer);
      this.buffer = '';
    }
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
