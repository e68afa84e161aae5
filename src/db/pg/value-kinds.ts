/**
 * SQLite's value conventions on PostgreSQL's way out, so the repositories see the same
 * values on both engines: integers and numerics as numbers, booleans as 0/1, dates, times,
 * JSON and text as the text the server wrote. Declared once, by type OID: the worker's
 * node-postgres type parsers and the COPY TO reader (copy-out-text.ts) both follow it; a
 * type not listed keeps node-postgres' own parser and is never read through COPY.
 */
export type ValueKind = 'text' | 'number' | 'bool';

/** PostgreSQL's built-in type OIDs (pg_type.oid; the names are node-postgres' `types.builtins`). */
export const VALUE_KINDS: ReadonlyMap<number, ValueKind> = new Map<number, ValueKind>([
  [20, 'number'], // INT8
  [21, 'number'], // INT2
  [23, 'number'], // INT4
  [26, 'number'], // OID
  [700, 'number'], // FLOAT4
  [701, 'number'], // FLOAT8
  [1700, 'number'], // NUMERIC
  [16, 'bool'], // BOOL
  [18, 'text'], // CHAR
  [19, 'text'], // NAME
  [25, 'text'], // TEXT
  [1042, 'text'], // BPCHAR
  [1043, 'text'], // VARCHAR
  [1082, 'text'], // DATE
  [1083, 'text'], // TIME
  [1114, 'text'], // TIMESTAMP
  [1184, 'text'], // TIMESTAMPTZ
  [114, 'text'], // JSON
  [3802, 'text'], // JSONB
  [2950, 'text'], // UUID
]);

/** A value of that kind from the text PostgreSQL sends (\N and escapes already handled by the caller). */
export const FROM_TEXT: Readonly<Record<ValueKind, (v: string) => unknown>> = {
  text: (v) => v,
  number: (v) => Number(v),
  bool: (v) => (v === 't' ? 1 : 0),
};
