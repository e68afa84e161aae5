import type { Statement } from '../port.js';
import type { StagedValue } from './import.js';

/** Rows per INSERT statement while staging: one call binds many rows. */
const ROWS_PER_INSERT = 32;
/**
 * Column sets kept prepared. A file gives one or a few (a sparse column
 * filled in some batches and not others); a file whose batches kept
 * changing sets would otherwise prepare two statements a batch and keep
 * them all (each one's program holds its 32 rows of parameters). Past
 * this many, a batch binds every column, as before.
 */
const MAX_COLUMN_SETS = 16;

/** A column set's statements, 32 rows and one row, and the column indexes they name. */
interface Prepared {
  used: readonly number[];
  many: Statement<unknown[]>;
  one: Statement<unknown[]>;
}

/** Indexes (ascending) of the columns that some row fills: a row's value there is not NULL. */
export function filledColumns(rows: readonly (readonly StagedValue[])[], width: number): number[] {
  const seen = new Uint8Array(width);
  let left = width;
  for (const r of rows) {
    for (let k = 0; k < width; k++) {
      if (seen[k] === 0 && r[k] !== null && r[k] !== undefined) {
        seen[k] = 1;
        left--;
      }
    }
    if (left === 0) break;
  }
  const filled: number[] = [];
  seen.forEach((v, k) => {
    if (v === 1) filled.push(k);
  });
  return filled;
}

/**
 * Writes staged rows into SQLite's TEMP stage naming only the columns some
 * row of the batch fills. A file maps a dozen or two of the stage's 41
 * columns; the others are NULL in every row, and binding a NULL is not free:
 * better-sqlite3 binds each one and the statement moves each one into the
 * record (about 100 ns a value). Measured on 303,258 rows of the import
 * bench's file (25 of the 41 columns filled), in batches of 430, four
 * interleaved pairs: 1.75–1.90 s of CPU against 1.95–2.94 s for all columns
 * (8–12 %). The columns left out of the INSERT are NULL as before (the
 * stage's columns have no default), so the stage holds the same rows.
 */
export class StageRowWriter {
  /** Statements by the columns they name (a key of column indexes): at most MAX_COLUMN_SETS, and the full set. */
  private readonly statements = new Map<string, Prepared>();
  private readonly allColumns: readonly number[];

  constructor(
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly prepare: (sql: string) => Statement<unknown[]>,
  ) {
    this.allColumns = columns.map((_, k) => k);
  }

  /** Inserts the rows (each `columns.length` values, in column order); call inside a transaction. */
  write(rows: readonly (readonly StagedValue[])[]): void {
    if (rows.length === 0) return;
    const filled = filledColumns(rows, this.columns.length);
    const { many, one, used } = this.statementsFor(filled.length === this.columns.length ? this.allColumns : filled);
    // Only the used values of each row, in the statement's column order.
    const pick = used === this.allColumns ? (r: readonly StagedValue[]) => r : (r: readonly StagedValue[]) => {
      const out = new Array<StagedValue>(used.length);
      for (let j = 0; j < used.length; j++) out[j] = r[used[j]!] ?? null;
      return out;
    };
    let i = 0;
    // Each row is an array of values: better-sqlite3 binds the arrays one after the other.
    for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
      const batch = new Array<readonly StagedValue[]>(ROWS_PER_INSERT);
      for (let k = 0; k < ROWS_PER_INSERT; k++) batch[k] = pick(rows[i + k]!);
      many.run(...batch);
    }
    for (; i < rows.length; i++) one.run(pick(rows[i]!));
  }

  /** The statements naming these columns; once MAX_COLUMN_SETS sets are prepared, a new set gets those naming every column. */
  private statementsFor(wanted: readonly number[]): Prepared {
    const key = wanted.join(',');
    const known = this.statements.get(key);
    if (known) return known;
    if (this.statements.size >= MAX_COLUMN_SETS && wanted !== this.allColumns) return this.statementsFor(this.allColumns);
    const names = wanted.map((k) => this.columns[k]).join(', ');
    const one = `(${wanted.map(() => '?').join(', ')})`;
    const prepared: Prepared = {
      used: wanted,
      one: this.prepare(`INSERT INTO ${this.table} (${names}) VALUES ${one}`),
      many: this.prepare(`INSERT INTO ${this.table} (${names}) VALUES ${Array(ROWS_PER_INSERT).fill(one).join(', ')}`),
    };
    this.statements.set(key, prepared);
    return prepared;
  }
}
