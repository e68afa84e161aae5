/**
 * The pieces of SQL that differ between SQLite and PostgreSQL, asked for by
 * the repositories so that each keeps one statement for both engines. Where
 * the SQL differs more than a fragment, a repository has one implementation
 * per engine (src/db/pg/…) behind the same typed interface. The core never
 * sees this: it talks to repositories.
 */
import { foldForSql } from './open.js';
import { FULL_TEXT_KEYS } from '../core/fields/catalogue.js';
import { engineOf, type Db, type Engine } from './port.js';

export interface Dialect {
  readonly engine: Engine;
  /** `INSERT … ` that skips rows breaking a unique constraint; `rest` is `table (cols) VALUES (…)` or `table (cols) SELECT …`. */
  insertOrIgnore(rest: string): string;
  /**
   * `INSERT …` of rows the caller knows are new (no unique constraint can break). SQLite keeps OR
   * IGNORE (it then keeps no statement journal); PostgreSQL a plain INSERT, since ON CONFLICT
   * makes each row a speculative insertion.
   */
  insertNew(rest: string): string;
  /** Appended to an INSERT whose lastInsertRowid is read (PostgreSQL has no rowid: the adapter reads the returned id). */
  readonly returningId: string;
  /** A LIMIT that limits nothing (SQLite's -1; PostgreSQL refuses a negative one and takes NULL). */
  readonly noLimit: number | null;
  /** A number parameter compared with a number column (the filter language's numbers). */
  numberParam(param: string): string;
  /** `a IS b`: equal, NULL equal to NULL. */
  same(a: string, b: string): string;
  /** `a IS NOT b`: different, NULL different from any value. */
  notSame(a: string, b: string): string;
  /** `col = other` under col's NOCASE collation (categories.name). */
  nocaseEq(col: string, other: string): string;
  /** SQL naming its temp tables SQLite's way (`temp.x`, `CREATE INDEX temp.i ON x`), for this engine. */
  tempSql(sql: string): string;
  /** A CREATE TEMP TABLE statement written with SQLite's type names, typed for this engine (INTEGER → bigint, TEXT → text COLLATE "C"). */
  tempDdl(sql: string): string;
  /** The date `days` (a parameter holding '+N days') after a YYYY-MM-DD text, as YYYY-MM-DD. */
  dateAfter(day: string, days: string): string;
  /** The largest of several values (SQLite's scalar max(); NULL when one is NULL there: wrap them in coalesce). */
  greatest(...exprs: string[]): string;
  /** A join whose order SQLite must keep (CROSS JOIN … ON); a plain JOIN elsewhere. */
  readonly orderedJoin: string;
  /** The column giving the insertion order of an import staging table (SQLite's rowid; an identity column `rid` on PostgreSQL). */
  readonly rowid: string;
  /** json_patch(target, patch) (RFC 7396) giving SQLite's bytes: target's keys in order, new ones after, minified. */
  jsonPatch(target: string, patch: string): string;
  /** JSON text in its minified form (SQLite's json(); carnet stores it minified already on PostgreSQL). */
  json(expr: string): string;
  /** An integer as 12 lower-case hex digits (printf('%012x')). */
  hex12(expr: string): string;
  /** `SELECT … AS m`: the highest customer id ever given (ids of erased customers are never reused). */
  readonly customerIdHighWaterSql: string;
  /** After inserting customers with explicit ids: the statement that moves the id generator past them (null on SQLite: AUTOINCREMENT follows). */
  readonly customerIdsTakenSql: string | null;
  /** Is `needle` inside `haystack` (instr/strpos)? */
  contains(haystack: string, needle: string): string;
  /** The values of a JSON array of integers held by a text expression (a bound parameter, a column) as a subquery `(SELECT value …)`. */
  jsonIds(json: string): string;
  /** The values of a JSON array of text as a subquery `(SELECT value …)`. */
  jsonTexts(json: string): string;
  /** The parameter value naming a top-level key of a JSON object for jsonTextAt (a JSON path on SQLite, the key itself on PostgreSQL). */
  jsonKey(key: string): string;
  /** The value under a key of a JSON object held as text, as text; `param` is a parameter bound to jsonKey(key). */
  jsonTextAt(json: string, param: string): string;
  /** A FROM item listing the keys of a JSON object held as text, as `j.key`. */
  jsonKeys(json: string): string;
  /** `expr` compared byte by byte (SQLite's default BINARY collation; "C" on PostgreSQL) whatever collation it has. */
  binary(expr: string): string;
  /** string_agg / group_concat of `expr` with `sep`, in the given ORDER BY. */
  groupConcat(expr: string, sep: string, orderBy: string): string;
  /** SQLite's COLLATE NOCASE (ASCII case folding) for comparisons and order. */
  nocase(expr: string): string;
  /** A table of this connection only (CREATE TEMP TABLE); `temp.x` on SQLite, `pg_temp.x` on PostgreSQL. */
  temp(name: string): string;
  /** Statistics for just-filled temp tables, inside a transaction; null where the planner needs none (SQLite). */
  analyseTemp(tables: readonly string[]): string | null;
  /** The names of carnet's tables, in name order (no FTS shadow tables). */
  readonly tablesSql: string;
  /** `SELECT name, type FROM …` for the columns of table `?` in order, types as SQLite spells them (TEXT, INTEGER, REAL). */
  readonly columnsSql: string;
  /** `SELECT target, col, on_delete` for the foreign keys of table `?`. */
  readonly foreignKeysSql: string;
  /** `SELECT 1 …` when table `?` exists. */
  readonly tableExistsSql: string;
  /** Customers (`c.*`) matching full-text query @match (built by ftsQuery) and `where` on c, best first, ties by id, LIMIT @limit. */
  ftsSearchSql(where: string): string;
  /** The query text for ftsMatch: every word must start a word of the indexed text. */
  ftsQuery(words: readonly string[]): string;
}

/** An identifier (table, column, index, trigger name) quoted for SQL: the same double quotes on both engines. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const sqlite: Dialect = {
  engine: 'sqlite',
  insertOrIgnore: (rest) => `INSERT OR IGNORE INTO ${rest}`,
  insertNew: (rest) => `INSERT OR IGNORE INTO ${rest}`,
  returningId: '',
  noLimit: -1,
  numberParam: (p) => p,
  same: (a, b) => `${a} IS ${b}`,
  notSame: (a, b) => `${a} IS NOT ${b}`,
  nocaseEq: (col, other) => `${col} = ${other}`,
  tempSql: (sql) => sql,
  tempDdl: (sql) => sql,
  dateAfter: (day, days) => `date(${day}, ${days})`,
  greatest: (...e) => `max(${e.join(', ')})`,
  orderedJoin: 'CROSS JOIN',
  rowid: 'rowid',
  jsonPatch: (t, p) => `json_patch(${t}, ${p})`,
  json: (e) => `json(${e})`,
  hex12: (e) => `printf('%012x', ${e})`,
  customerIdHighWaterSql: `SELECT max(coalesce((SELECT max(id) FROM customers), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'customers'), 0)) AS m`,
  customerIdsTakenSql: null,
  contains: (h, n) => `instr(${h}, ${n}) > 0`,
  jsonIds: (json) => `(SELECT value FROM json_each(${json}))`,
  jsonTexts: (json) => `(SELECT value FROM json_each(${json}))`,
  jsonKey: (key) => `$."${key}"`,
  jsonTextAt: (json, param) => `CAST(json_extract(${json}, ${param}) AS TEXT)`,
  jsonKeys: (json) => `json_each(${json}) j`,
  binary: (expr) => expr,
  groupConcat: (expr, sep, orderBy) => `group_concat(${expr}, ${sep} ORDER BY ${orderBy})`,
  nocase: (expr) => `${expr} COLLATE NOCASE`,
  temp: (name) => `temp.${name}`,
  analyseTemp: () => null,
  tablesSql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customers_fts%' ORDER BY name`,
  columnsSql: `SELECT name, type FROM pragma_table_info(?)`,
  foreignKeysSql: `SELECT "table" AS target, "from" AS col, on_delete FROM pragma_foreign_key_list(?)`,
  tableExistsSql: `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`,
  ftsSearchSql: (where) => `SELECT c.* FROM customers_fts JOIN customers c ON c.id = customers_fts.rowid
    WHERE customers_fts MATCH @match ${where} ORDER BY rank, c.id LIMIT @limit`,
  ftsQuery: (words) => words.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' '),
};

/** The full-text document of a customer row: the expression the GIN index of migrations/postgres is built on. */
const pgFtsDoc = (alias: string): string => `carnet_fts_doc(${FULL_TEXT_KEYS.map((k) => `${alias}.${k}`).join(', ')})`;

const postgres: Dialect = {
  engine: 'postgres',
  insertOrIgnore: (rest) => `INSERT INTO ${rest} ON CONFLICT DO NOTHING`,
  insertNew: (rest) => `INSERT INTO ${rest}`,
  returningId: ' RETURNING id',
  noLimit: null,
  // Left alone, the server types it from the column: a bigint one (orders, unpaid_cents) refuses 2.5.
  numberParam: (p) => `CAST(${p} AS double precision)`,
  same: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
  notSame: (a, b) => `${a} IS DISTINCT FROM ${b}`,
  nocaseEq: (col, other) => `lower(${col}) = lower(${other})`,
  // Temp tables live in pg_temp; an index is created in its table's schema, so it takes no schema name.
  tempSql: (sql) =>
    sql
      .replace(/CREATE INDEX (IF NOT EXISTS )?temp\.(\w+) ON (\w+)/g, 'CREATE INDEX $1$2 ON pg_temp.$3')
      .replace(/\btemp\./g, 'pg_temp.')
      .replace(/\bmain\./g, ''),
  tempDdl: (sql) => sql.replace(/\bINTEGER\b/g, 'bigint').replace(/\bTEXT\b/g, 'text COLLATE "C"').replace(/\bREAL\b/g, 'double precision'),
  dateAfter: (day, days) => `to_char(CAST(${day} AS date) + CAST(${days} AS interval), 'YYYY-MM-DD')`,
  greatest: (...e) => `greatest(${e.join(', ')})`,
  orderedJoin: 'JOIN',
  rowid: 'rid',
  jsonPatch: (t, p) => `carnet_json_patch(${t}, ${p})`,
  json: (e) => e,
  hex12: (e) => `lpad(to_hex(${e}), 12, '0')`,
  customerIdHighWaterSql: `SELECT greatest(coalesce((SELECT max(id) FROM customers), 0),
    coalesce(pg_sequence_last_value(pg_get_serial_sequence('customers', 'id')::regclass), 0)) AS m`,
  customerIdsTakenSql: `SELECT setval(pg_get_serial_sequence('customers', 'id'), greatest(coalesce((SELECT max(id) FROM customers), 0),
    coalesce(pg_sequence_last_value(pg_get_serial_sequence('customers', 'id')::regclass), 0), 1))`,
  contains: (h, n) => `strpos(${h}, ${n}) > 0`,
  jsonIds: (json) => `(SELECT value::bigint FROM json_array_elements_text(CAST(${json} AS json)) AS j(value))`,
  jsonTexts: (json) => `(SELECT value FROM json_array_elements_text(CAST(${json} AS json)) AS j(value))`,
  jsonKey: (key) => key,
  jsonTextAt: (json, param) => `(CAST(${json} AS json) ->> CAST(${param} AS text))`,
  jsonKeys: (json) => `json_object_keys(CAST(${json} AS json)) AS j(key)`,
  binary: (expr) => `${expr} COLLATE "C"`,
  groupConcat: (expr, sep, orderBy) => `string_agg(CAST(${expr} AS text), ${sep} ORDER BY ${orderBy})`,
  // lower() under "C" folds ASCII only, like NOCASE.
  nocase: (expr) => `lower(${expr})`,
  temp: (name) => `pg_temp.${name}`,
  // PostgreSQL plans temp tables blind (autovacuum never sees them): without statistics it guesses
  // a few thousand rows and picks nested loops and sorts sized for that. A sample of 3,000 rows
  // (target 10) sizes the joins as well as the default 30,000 and costs a tenth: ANALYZE of
  // categorise's 100,000-customer base took 0.28 s of its 5 s on the server.
  analyseTemp: (tables) =>
    `SET LOCAL default_statistics_target = 10; ${tables.map((t) => `ANALYZE pg_temp.${t};`).join(' ')} SET LOCAL default_statistics_target TO DEFAULT;`,
  tablesSql: `SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE "C"`,
  columnsSql: `SELECT column_name AS name, CASE WHEN data_type IN ('bigint', 'integer', 'smallint') THEN 'INTEGER'
      WHEN data_type IN ('double precision', 'real', 'numeric') THEN 'REAL' WHEN data_type = 'text' THEN 'TEXT' ELSE upper(data_type) END AS type
    FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position`,
  // Foreign keys, and the references level 9 checks by statement-level triggers instead (the
  // carnet_ref_check trigger on INSERT: its arguments are column, parent table, ON DELETE action).
  foreignKeysSql: `SELECT r.target, r.col, r.on_delete FROM pg_class t CROSS JOIN LATERAL (
      SELECT ft.relname AS target, a.attname AS col,
        CASE k.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS on_delete
      FROM pg_constraint k JOIN pg_class ft ON ft.oid = k.confrelid JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
      WHERE k.contype = 'f' AND k.conrelid = t.oid
      UNION ALL
      SELECT split_part(encode(g.tgargs, 'escape'), '\\000', 2), split_part(encode(g.tgargs, 'escape'), '\\000', 1), split_part(encode(g.tgargs, 'escape'), '\\000', 3)
      FROM pg_trigger g JOIN pg_proc f ON f.oid = g.tgfoid
      WHERE g.tgrelid = t.oid AND f.proname = 'carnet_ref_check' AND f.pronamespace = t.relnamespace AND (g.tgtype & 4) <> 0) AS r
    WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ?`,
  tableExistsSql: `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`,
  // The same expression as the index, so that the planner uses it.
  ftsSearchSql: (where) => `SELECT c.* FROM customers c WHERE ${pgFtsDoc('c')} @@ CAST(@match AS tsquery) ${where}
    ORDER BY ts_rank(${pgFtsDoc('c')}, CAST(@match AS tsquery)) DESC, c.id LIMIT @limit`,
  // Words are letters and digits only (the caller splits on anything else), folded as the index is.
  ftsQuery: (words) => words.map((t) => `'${(foldForSql(t) ?? '').replace(/'/g, "''")}':*`).join(' & '),
};


export const DIALECTS: Readonly<Record<Engine, Dialect>> = { sqlite, postgres };

/** The dialect of a connection. */
export function dialectOf(db: Db): Dialect {
  return DIALECTS[engineOf(db)];
}
