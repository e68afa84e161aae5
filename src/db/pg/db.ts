import { writerBusy } from '../../core/errors.js';
import type { Db, FunctionOptions, Pipeline, PragmaOptions, RunResult, Statement, Transaction } from '../port.js';
import { PgError } from './errors.js';
import { bindValues, translateParams, typeOfValue, type Translated } from './sql.js';
import { SyncConnection, type Ok } from './sync.js';
import { copyRows, copyText } from './copy-in.js';
import { copyColumns, parseCopyPage } from './copy-out-text.js';

/** First key of carnet's advisory locks ('carn'); the second is the schema's hash. */
const LOCK_CLASS = 0x6361726e;
/** SQLSTATE of a lock_timeout that ran out. */
const LOCK_NOT_AVAILABLE = '55P03';
const FETCH = 5000;
const COMMIT = /^\s*(COMMIT|END)(\s+TRANSACTION)?\s*;?\s*$/i;
const BEGIN = /^\s*BEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?\s*;?\s*$/i;

type Fn = (...args: never[]) => unknown;
/** "could not determine data type of parameter", ambiguous parameter, ambiguous function: the server needs the values' types. */
const UNTYPED = new Set(['42P18', '42P08', '42725']);
const TEXT = 25;

/**
 * PostgreSQL behind the same port as better-sqlite3, synchronously (see
 * sync.ts). Transactions: BEGIN, nested ones as savepoints; a writer's
 * (immediate) also takes the schema's advisory lock, so writers queue one
 * behind the other instead of deadlocking, while readers never wait.
 */
export class PgDb implements Db {
  readonly engine = 'postgres' as const;
  private readonly translated = new Map<string, Translated>();
  private seq = 0;

  constructor(
    readonly conn: SyncConnection,
    /** The schema carnet's tables live in (search_path). */
    readonly schema: string,
    /** How long a writer waits for the writers' lock (SQLite's busy timeout): then exit 5. */
    private readonly busyTimeoutMs: number,
  ) {}

  get open(): boolean {
    return !this.conn.closed;
  }

  get inTransaction(): boolean {
    return this.conn.tx !== 'I';
  }

  prepare<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): P extends unknown[] ? Statement<P, R> : Statement<[P], R> {
    let t = this.translated.get(sql);
    if (t === undefined) {
      t = translateParams(sql);
      this.translated.set(sql, t);
    }
    return new PgStatement(this, t) as unknown as P extends unknown[] ? Statement<P, R> : Statement<[P], R>;
  }

  exec(sql: string): this {
    const begin = BEGIN.exec(sql);
    if (begin) this.begin(/IMMEDIATE|EXCLUSIVE/i.test(begin[2] ?? ''));
    else if (COMMIT.test(sql)) this.commit();
    else this.conn.call({ op: 'exec', text: sql });
    return this;
  }

  /**
   * BEGIN; a writer also queues on the schema's advisory lock (released at
   * COMMIT/ROLLBACK), for the busy timeout at most, as SQLite's writer does:
   * lock_timeout only around the lock, the session's own value afterwards.
   */
  begin(write: boolean): void {
    if (!write) {
      this.conn.call({ op: 'exec', text: 'BEGIN' });
      return;
    }
    const wait = Math.max(1, Math.trunc(this.busyTimeoutMs));
    try {
      this.conn.call({
        op: 'exec',
        text: `BEGIN; SET LOCAL lock_timeout = ${wait}; SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${quote(this.schema)})); RESET lock_timeout`,
      });
    } catch (err) {
      this.rollback();
      throw err instanceof PgError && err.code === LOCK_NOT_AVAILABLE ? writerBusy() : err;
    }
  }

  /** COMMIT, refusing the silent ROLLBACK PostgreSQL gives a transaction that already failed. */
  commit(): void {
    const r = this.conn.call({ op: 'exec', text: 'COMMIT' });
    if (r.command === 'ROLLBACK') throw new PgError({ message: 'the transaction failed earlier and was rolled back', code: '25P02' });
  }

  rollback(): void {
    if (this.inTransaction && this.open) this.conn.call({ op: 'exec', text: 'ROLLBACK' });
  }

  transaction<F extends Fn>(fn: F): Transaction<F> {
    const call = fn as unknown as (...args: unknown[]) => unknown;
    const run = (write: boolean) =>
      (...args: unknown[]): unknown => {
        if (this.inTransaction) return this.savepoint(() => call(...args));
        this.begin(write);
        try {
          const result = call(...args);
          this.commit();
          return result;
        } catch (err) {
          this.rollback();
          throw err;
        }
      };
    return Object.assign(run(false), { deferred: run(false), immediate: run(true) }) as unknown as Transaction<F>;
  }

  private savepoint<T>(fn: () => T): T {
    const name = `carnet_sp_${++this.seq}`;
    this.conn.call({ op: 'exec', text: `SAVEPOINT ${name}` });
    try {
      const result = fn();
      this.conn.call({ op: 'exec', text: `RELEASE SAVEPOINT ${name}` });
      return result;
    } catch (err) {
      if (this.open && this.inTransaction) this.conn.call({ op: 'exec', text: `ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}` });
      throw err;
    }
  }

  nextName(prefix: string): string {
    return `${prefix}_${++this.seq}`;
  }

  /** Statements sent on the connection without waiting; parameters the server infers alone (cast them). */
  pipeline(bound: number): Pipeline {
    const send = (sql: string, ...args: unknown[]): void => {
      let t = this.translated.get(sql);
      if (t === undefined) {
        t = translateParams(sql);
        this.translated.set(sql, t);
      }
      this.conn.send({ op: 'send', text: t.text, values: bindValues(t.slots, args) }, bound);
    };
    const copy = (table: string, columns: readonly string[], rows: readonly (readonly unknown[])[] | { flat: readonly unknown[] }): void => {
      const data = isRows(rows) ? copyRows(rows, columns.length) : copyText(rows.flat, columns.length);
      this.conn.send({ op: 'send', text: `COPY ${table} (${columns.join(', ')}) FROM STDIN`, copy: data }, bound);
    };
    return {
      send,
      // PGlite behind a socket (the tests' server) never answers COPY FROM STDIN: the caller then sends INSERTs.
      ...(this.copyWorks() ? { copy } : {}),
      flush: () => {
        this.conn.call({ op: 'sync' });
      },
      discard: () => {
        try {
          this.conn.call({ op: 'sync' });
        } catch {
          // the stage these statements filled is being dropped
        }
      },
    };
  }

  private copyOk: boolean | undefined;

  /** Whether the server takes COPY FROM STDIN: PostgreSQL does; PGlite's wire emulation does not. */
  private copyWorks(): boolean {
    if (this.copyOk === undefined) {
      const v = this.conn.call({ op: 'query', text: 'SELECT version() AS v', values: [], rowMode: 'object' }).rows[0] as { v?: string } | undefined;
      this.copyOk = !/PGlite/i.test(String(v?.v ?? ''));
    }
    return this.copyOk;
  }

  pragma(source: string, _options?: PragmaOptions): unknown {
    throw new Error(`PRAGMA ${source} is SQLite's: guard it with engineOf(db) === 'sqlite'`);
  }

  function(name: string, _options: FunctionOptions, _cb: (...params: never[]) => unknown): this {
    throw new Error(`${name}: JavaScript functions in SQL are SQLite's; on PostgreSQL it is a SQL function made by a migration`);
  }

  close(): this {
    this.conn.close();
    return this;
  }
}

/** Arrays have a `flat` method too: told apart by Array.isArray. */
function isRows(rows: readonly (readonly unknown[])[] | { flat: readonly unknown[] }): rows is readonly (readonly unknown[])[] {
  return Array.isArray(rows);
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

class PgStatement<P extends unknown[], R> implements Statement<P, R> {
  private mode: 'object' | 'raw' | 'pluck' = 'object';

  constructor(
    private readonly db: PgDb,
    private readonly sql: Translated,
  ) {}

  pluck(toggle = true): this {
    this.mode = toggle ? 'pluck' : this.mode === 'pluck' ? 'object' : this.mode;
    return this;
  }

  raw(toggle = true): this {
    this.mode = toggle ? 'raw' : this.mode === 'raw' ? 'object' : this.mode;
    return this;
  }

  private query(text: string, args: readonly unknown[]) {
    const values = bindValues(this.sql.slots, args);
    const rowMode = this.mode === 'object' ? 'object' : 'array';
    const conn = this.db.conn;
    const typed = (nulls: number) => conn.call({ op: 'query', text, values, rowMode, paramTypes: values.map((v) => (v === null ? nulls : typeOfValue(v))) });
    if (this.sql.inferable === false) return this.attempt(() => typed(0), () => typed(TEXT));
    if (this.sql.inferable === true || values.length === 0) return conn.call({ op: 'query', text, values, rowMode });
    // First run of this SQL: can the server infer its parameters' types alone (SQLite never asks)?
    return this.attempt(
      () => {
        const r = conn.call({ op: 'query', text, values, rowMode });
        this.sql.inferable = true;
        return r;
      },
      () => {
        this.sql.inferable = false;
        return this.attempt(() => typed(0), () => typed(TEXT));
      },
    );
  }

  /** first(), or else() when the server could not type a parameter; inside a transaction under a savepoint, since an error aborts it. */
  private attempt(first: () => Ok, orElse: () => Ok): Ok {
    const conn = this.db.conn;
    const guarded = this.db.inTransaction;
    const sp = guarded ? this.db.nextName('carnet_try') : '';
    if (guarded) conn.call({ op: 'exec', text: `SAVEPOINT ${sp}` });
    try {
      const r = first();
      if (guarded) conn.call({ op: 'exec', text: `RELEASE SAVEPOINT ${sp}` });
      return r;
    } catch (err) {
      if (guarded && conn.tx !== 'I') conn.call({ op: 'exec', text: `ROLLBACK TO SAVEPOINT ${sp}; RELEASE SAVEPOINT ${sp}` });
      if (!UNTYPED.has((err as PgError).code ?? '')) throw err;
      return orElse();
    }
  }

  private shape(row: unknown): R {
    if (this.mode === 'pluck') return fromPg((row as unknown[])[0]) as R;
    if (this.mode === 'raw') return (row as unknown[]).map(fromPg) as R;
    const o = row as Record<string, unknown>;
    for (const k in o) if (o[k] instanceof Uint8Array) o[k] = fromPg(o[k]);
    return o as R;
  }

  /** changes = rows touched; lastInsertRowid = the `id` a RETURNING id gave (the dialect adds it where a repository needs it). */
  run(...args: P): RunResult {
    const r = this.query(this.sql.text, args);
    const first = r.rows[0] as Record<string, unknown> | unknown[] | undefined;
    let id: unknown = 0;
    if (first !== undefined) id = Array.isArray(first) ? first[0] : (first.id ?? Object.values(first)[0]);
    return { changes: r.rowCount, lastInsertRowid: typeof id === 'number' || typeof id === 'bigint' ? id : Number(id) || 0 };
  }

  get(...args: P): R | undefined {
    const r = this.query(this.sql.text, args);
    return r.rows.length === 0 ? undefined : this.shape(r.rows[0]);
  }

  all(...args: P): R[] {
    return this.query(this.sql.text, args).rows.map((row) => this.shape(row));
  }

  /**
   * The rows through COPY TO, or null when a column's type is not one copy-out-text.ts reads (the
   * worker then does not start the COPY). In the caller's transaction: the cursor's snapshot.
   */
  private copyOut(): IterableIterator<unknown> | null {
    const conn = this.db.conn;
    const first = conn.call({ op: 'copyOut', text: this.sql.text }).copy;
    const columns = copyColumns(first?.types ?? []);
    if (!columns) return null;
    return (function* pages() {
      let page = first?.page ?? null;
      try {
        while (page !== null) {
          yield* parseCopyPage(page, columns);
          page = conn.call({ op: 'copyNext' }).copy?.page ?? null;
        }
      } finally {
        // Stopped before the end (or failed): the rest of the COPY is dropped, the connection ready again.
        if (page !== null) conn.call({ op: 'copyStop' });
      }
    })();
  }

  /** A server-side cursor read FETCH rows at a time, inside the open transaction or one of its own; raw rows without parameters through COPY. */
  *iterate(...args: P): IterableIterator<R> {
    const own = !this.db.inTransaction;
    if (own) this.db.begin(false);
    const cursor = this.db.nextName('carnet_cursor');
    let declared = false;
    let done = false;
    try {
      // Raw rows of a statement without parameters (COPY takes none): COPY TO's pages, parsed here.
      if (this.mode === 'raw' && this.sql.slots.length === 0 && args.length === 0) {
        const copied = this.copyOut();
        if (copied) {
          yield* copied as IterableIterator<R>;
          done = true;
          return;
        }
      }
      this.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${this.sql.text}`, args);
      declared = true;
      for (;;) {
        const r = this.db.conn.call({ op: 'query', text: `FETCH ${FETCH} FROM ${cursor}`, values: [], rowMode: this.mode === 'object' ? 'object' : 'array' });
        for (const row of r.rows) yield this.shape(row);
        if (r.rows.length < FETCH) break;
      }
      done = true;
    } finally {
      if (this.db.open && this.db.conn.tx === 'T') {
        // A DECLARE that failed under attempt()'s savepoint leaves the transaction usable but no
        // cursor: closing it would fail too ("cursor does not exist") and hide the real error.
        if (declared) this.db.conn.call({ op: 'exec', text: `CLOSE ${cursor}` });
        if (own) (done ? this.db.commit() : this.db.rollback());
      } else if (own) {
        this.db.rollback();
      }
    }
  }
}

/** bytea crosses the thread boundary as a Uint8Array: Buffer again, as better-sqlite3 gives. */
function fromPg(v: unknown): unknown {
  return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}
