import { CellKind, LIST_SEPARATOR } from './write-csv.js';

/**
 * JSON objects built as text from row arrays: the key parts are serialised
 * once, each value with JSON.stringify (or as is for numbers and for the
 * JSON held in `extra`). Used by both JSON (one array) and NDJSON.
 */
export function jsonObjectEncoder(keys: readonly string[], kinds: readonly CellKind[]): (cells: readonly unknown[]) => string {
  const prefixes = keys.map((k, i) => (i === 0 ? '{' : ',') + JSON.stringify(k) + ':');
  const n = keys.length;
  const kindOf = Int8Array.from(kinds);

  const value = (v: unknown, kind: number): string => {
    if (v === null || v === undefined) return kind === CellKind.list ? '[]' : 'null';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (typeof v === 'bigint') return String(v);
    if (typeof v !== 'string') return JSON.stringify(v) ?? 'null';
    if (kind === CellKind.json) return validJson(v) ? v : JSON.stringify(v);
    if (kind === CellKind.list) return JSON.stringify(v === '' ? [] : v.split(LIST_SEPARATOR));
    return JSON.stringify(v);
  };

  if (n === 0) return () => '{}';
  return (cells) => {
    let s = '';
    for (let i = 0; i < n; i++) s += (prefixes[i] as string) + value(cells[i], kindOf[i] as number);
    return s + '}';
  };
}

/**
 * extra comes from a column declared CHECK (json_valid(extra)), so it is
 * inserted as is (no parse per row); anything not shaped like an object or
 * array is written as a string.
 */
function validJson(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 123 || c === 91; // { or [
}

/** The pieces of a JSON array written row by row: `[`, one row a line, `]` (an empty one is `[]`). */
export const JSON_ARRAY = {
  open: '[',
  first: '\n',
  between: ',\n',
  close: (rows: number): string => (rows > 0 ? '\n]\n' : ']\n'),
} as const;
