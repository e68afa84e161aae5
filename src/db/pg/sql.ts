/**
 * The repositories write SQLite's parameters (`@name`, `:name`, `$name`,
 * `?`); PostgreSQL takes `$1…$n`. Translated once per prepared statement,
 * skipping string literals, quoted identifiers, comments, dollar-quoted
 * bodies and `::type` casts.
 */
export interface Translated {
  text: string;
  /**
   * Whether the server could type every parameter from the SQL alone
   * (`? IS NULL`, `SELECT ?` it cannot): null until the first run tells,
   * then false when the values' own types must be sent.
   */
  inferable?: boolean | null;
  /** For each `$n`, in order: a parameter name, or the index of a positional (`?`) parameter. */
  slots: (string | number)[];
}

const IDENT = /[A-Za-z0-9_]/;
const IDENT_START = /[A-Za-z_]/;

export function translateParams(sql: string): Translated {
  const slots: (string | number)[] = [];
  const named = new Map<string, number>();
  let positional = 0;
  let out = '';
  let i = 0;
  const n = sql.length;
  const slotOf = (name: string): number => {
    let at = named.get(name);
    if (at === undefined) {
      slots.push(name);
      at = slots.length;
      named.set(name, at);
    }
    return at;
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if ((c === ':' && next === ':') || (c === '@' && next === '@')) {
      // a cast, or the full-text match operator: not parameters
      out += c + next;
      i += 2;
    } else if (c === '$' && next !== undefined && /[0-9]/.test(next)) {
      // Already PostgreSQL's own `$1`: kept as written (the caller passes positional values).
      let j = i + 1;
      while (j < n && /[0-9]/.test(sql[j]!)) j++;
      const k = Number(sql.slice(i + 1, j));
      while (slots.length < k) slots.push(slots.length);
      out += sql.slice(i, j);
      i = j;
    } else if (c === '$' && (next === '$' || (next !== undefined && IDENT_START.test(next) && dollarTag(sql, i) !== null))) {
      const tag = next === '$' ? '$$' : dollarTag(sql, i)!;
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end < 0 ? n : end + tag.length;
      out += sql.slice(i, stop);
      i = stop;
    } else if ((c === '@' || c === ':' || c === '$') && next !== undefined && IDENT_START.test(next)) {
      let j = i + 1;
      while (j < n && IDENT.test(sql[j]!)) j++;
      out += `$${slotOf(sql.slice(i + 1, j))}`;
      i = j;
    } else if (c === '?') {
      slots.push(positional++);
      out += `$${slots.length}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, slots };
}

/** Index just past the literal or identifier opened at i (a doubled quote is an escaped one). */
function closing(sql: string, i: number, q: string): number {
  let j = i + 1;
  for (;;) {
    const k = sql.indexOf(q, j);
    if (k < 0) return sql.length;
    if (sql[k + 1] === q) {
      j = k + 2;
      continue;
    }
    return k + 1;
  }
}

/** `$tag$` opening a dollar-quoted body, or null when `$name` is a parameter. */
function dollarTag(sql: string, i: number): string | null {
  const m = /^\$[A-Za-z_][A-Za-z0-9_]*\$/.exec(sql.slice(i, i + 64));
  return m ? m[0] : null;
}

/**
 * The values for the slots, from better-sqlite3's calling conventions: an
 * object of named values and/or positional values, in any mix.
 */
export function bindValues(slots: readonly (string | number)[], args: readonly unknown[]): unknown[] {
  let named: Record<string, unknown> | null = null;
  const positional: unknown[] = [];
  for (const a of args) {
    if (a !== null && typeof a === 'object' && !Buffer.isBuffer(a) && !(a instanceof Uint8Array) && !Array.isArray(a) && !(a instanceof Date)) {
      named = { ...(named ?? {}), ...(a as Record<string, unknown>) };
    } else if (Array.isArray(a)) {
      positional.push(...(a as unknown[]));
    } else {
      positional.push(a);
    }
  }
  return slots.map((s) => {
    if (typeof s === 'number') {
      if (s >= positional.length) throw new RangeError(`too few parameter values were provided (parameter ${s + 1})`);
      return toPg(positional[s]);
    }
    if (named === null || !(s in named)) throw new RangeError(`missing named parameter "${s}"`);
    return toPg(named[s]);
  });
}

/** SQLite's value conventions on the way in: booleans are 0/1, bigints exact, undefined is NULL. */
function toPg(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/**
 * A parameter's type from its value, for SQL where the server cannot infer it
 * (SQLite never asks): text, bigint, double precision, bytea.
 */
export function typeOfValue(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) ? 20 : 701;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return 17;
  return 25;
}
