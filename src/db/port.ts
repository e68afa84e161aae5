import type BetterSqlite3 from 'better-sqlite3';

/**
 * The database port: the part of better-sqlite3's Database that carnet's
 * repositories use. SQLite runs through better-sqlite3 itself (it satisfies
 * this interface structurally, no wrapper, so SQLite costs nothing more);
 * PostgreSQL through the synchronous adapter in src/db/pg/. Repositories
 * import Db from here, never from better-sqlite3.
 */
export type Engine = 'sqlite' | 'postgres';

/** How long a writer waits for another one's lock before giving up with exit 5, when nothing else is set (CARNET_BUSY_TIMEOUT). */
export const BUSY_TIMEOUT_MS = 5000;

/** How a database is opened, on either engine (src/db/open.ts for a SQLite file, src/db/pg/open.ts for a server). */
export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  migrationsDir?: string;
  readonly?: boolean;
  busyTimeoutMs?: number;
  now?: () => Date;
  /** `carnet init`: make an empty file (zero bytes, or SQLite with no tables), or an empty schema, a carnet database. */
  adopt?: boolean;
  /** Called when an empty file is adopted. */
  onAdopt?: () => void;
  /** Internal: building a new file under its temporary name (no before-upgrade backup). */
  building?: boolean;
  /** PostgreSQL: the schema (default carnet, or the URL's ?schema=). */
  schema?: string;
}

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface Statement<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
  /** Return the first column's value instead of a row object. */
  pluck(toggle?: boolean): this;
  /** Return rows as arrays of values, in column order. */
  raw(toggle?: boolean): this;
}

// better-sqlite3 declares transaction() over functions of any arguments; `never[]` accepts them all without `any`.
type Fn = (...args: never[]) => unknown;
type Args<F extends Fn> = F extends (...args: infer A) => unknown ? A : never;

export interface Transaction<F extends Fn> {
  (...args: Args<F>): ReturnType<F>;
  /** BEGIN (a reader: on PostgreSQL it never waits for a writer). */
  deferred(...args: Args<F>): ReturnType<F>;
  /** A writer: SQLite's write lock up front; on PostgreSQL BEGIN + the schema's advisory lock. */
  immediate(...args: Args<F>): ReturnType<F>;
}

export interface PragmaOptions {
  simple?: boolean;
}

export interface FunctionOptions {
  deterministic?: boolean;
  varargs?: boolean;
}

export interface Db {
  /** Absent on better-sqlite3 (= SQLite); read it through engineOf(). */
  readonly engine?: Engine;
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): P extends unknown[] ? Statement<P, R> : Statement<[P], R>;
  exec(sql: string): this;
  transaction<F extends Fn>(fn: F): Transaction<F>;
  /** SQLite only: guard calls with engineOf(db) === 'sqlite'. */
  pragma(source: string, options?: PragmaOptions): unknown;
  /** SQLite only (a JavaScript function callable from SQL); PostgreSQL has SQL functions from its migrations. */
  function(name: string, options: FunctionOptions, cb: (...params: never[]) => unknown): this;
  close(): this;
  /** PostgreSQL only: statements sent without waiting (read it through pipelineOf()). */
  pipeline?(bound: number): Pipeline;
}

/**
 * Statements whose results nobody reads (a stage filled batch after batch), sent without
 * waiting for each: on PostgreSQL the caller prepares the next batch while the server runs
 * this one (at most `bound` in flight), on SQLite each simply runs. flush() waits for them
 * all and throws the first error; until then an error is thrown by the connection's next
 * statement. discard() waits and forgets errors (the stage is being thrown away).
 */
export interface Pipeline {
  send(sql: string, ...params: unknown[]): void;
  /**
   * PostgreSQL only: rows appended to a table by COPY … FROM STDIN, sent without waiting like
   * send(). `rows`: arrays of columns.length values, or (flat) records one after the other.
   */
  copy?(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[] | { flat: readonly unknown[] }): void;
  flush(): void;
  discard(): void;
}

export function pipelineOf(db: Db, bound = 4): Pipeline {
  if (db.pipeline) return db.pipeline(bound);
  const stmts = new Map<string, Statement>();
  return {
    send(sql, ...params) {
      let s = stmts.get(sql);
      if (!s) {
        s = db.prepare(sql);
        stmts.set(sql, s);
      }
      s.run(...params);
    },
    flush() {},
    discard() {},
  };
}

export function engineOf(db: Db): Engine {
  return db.engine ?? 'sqlite';
}

/** A SQLite connection, typed as better-sqlite3's own (for the SQLite-only code: backups, VACUUM INTO, pragmas). */
export type SqliteDb = BetterSqlite3.Database;

export function isSqlite(db: Db): db is Db & SqliteDb {
  return engineOf(db) === 'sqlite';
}

// Compile-time proof that better-sqlite3 satisfies the port with no wrapper.
type Satisfies<T extends Db> = T;
export type SqliteSatisfiesPort = Satisfies<SqliteDb>;
