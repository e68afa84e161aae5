import type { CompareOp, FieldRef, FilterNode, FilterValue } from '../core/filter/ast.js';
import { customFieldSql } from './repositories/custom-fields.js';
import { DIALECTS, type Dialect } from './dialect.js';
import { addDays, shiftDay, utcDay } from '../core/filter/dates.js';
import { FILTER_FIELDS, type FieldType } from '../core/filter/fields.js';

/**
 * Compiles a filter AST to a parenthesised SQL boolean over the `customer_facts`
 * view. User values only ever travel as named parameters (@p0, @p1…); column
 * names come only from the field catalogue; so the SQL text depends on the shape
 * of the filter alone. Every leaf is two-valued (0/1, never NULL) so that `NOT`
 * behaves as people expect: `city != "Lyon"` includes files with no city.
 *
 * Text is compared through `carnet_fold()` (lower case, no diacritics), which the
 * database layer registers on every connection.
 */
export type FilterParam = string | number | null;

export interface CompiledFilter {
  readonly sql: string;
  readonly params: Record<string, FilterParam>;
}

export interface CompileOptions {
  /** The clock for `today`, `now` and relative dates like `-3y`. */
  readonly now: Date;
  /** Alias of `customer_facts` in the caller's query. Default `f`. */
  readonly alias?: string;
  /** Prefix of parameter names (default `p`: @p0, @p1…), to combine several filters in one query. */
  readonly paramPrefix?: string;
  /** The SQL dialect of the connection that runs it (store.dialect); default SQLite. */
  readonly dialect?: Dialect;
}

export function compileFilter(ast: FilterNode, opts: CompileOptions): CompiledFilter {
  const alias = opts.alias ?? 'f';
  const prefix = opts.paramPrefix ?? 'p';
  for (const name of [alias, prefix]) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`compileFilter: invalid SQL name ${JSON.stringify(name)}`);
  }
  if (Number.isNaN(opts.now.getTime())) throw new Error('compileFilter: invalid clock');
  const compiler = new Compiler(alias, prefix, opts.now, opts.dialect ?? DIALECTS.sqlite);
  return { sql: compiler.node(ast), params: compiler.params };
}

const FIELDS = new Map(FILTER_FIELDS.map((f) => [f.name, f]));

/** One column of the view, or a JSON read of `extra`, as SQL. */
interface Target {
  readonly type: FieldType;
  readonly exprs: readonly string[];
}

/** A date value on the day grid: [start, end) of a day, or one instant. */
type DateBound = { readonly day: string } | { readonly instant: string };

class Compiler {
  readonly params: Record<string, FilterParam> = {};
  private count = 0;

  constructor(
    private readonly alias: string,
    private readonly prefix: string,
    private readonly now: Date,
    private readonly d: Dialect,
  ) {}

  node(node: FilterNode): string {
    switch (node.type) {
      case 'and':
      case 'or':
        if (node.operands.length === 0) throw new Error(`filter AST: empty '${node.type}'`);
        return balanced(node.operands.map((n) => this.node(n)), node.type === 'and' ? 'AND' : 'OR');
      case 'not':
        return `(NOT ${this.node(node.operand)})`;
      case 'compare':
        return this.compare(this.target(node.field), node.op, node.value);
      case 'in': {
        if (node.values.length === 0) throw new Error('filter AST: empty in-list');
        const target = this.target(node.field);
        if (target.type === 'date') return anyOf(node.values.map((v) => this.compare(target, '=', v)));
        const list = node.values.map((v) => this.operand(target.type, v)).join(', ');
        return anyOf(target.exprs.map((e) => `(${e} IS NOT NULL AND ${this.side(target.type, e)} IN (${list}))`));
      }
      case 'contains':
      case 'starts': {
        const target = this.target(node.field);
        if (target.type === 'number' || target.type === 'id') throw new Error(`filter AST: '${node.type}' on a number`);
        // Escape LIKE wildcards in SQL, after folding, so that whatever carnet_fold
        // maps a character to can never turn into a wildcard.
        const p = `${likeEscaped(`carnet_fold(${this.param(node.value)})`)} || '%'`;
        const pattern = node.type === 'contains' ? `'%' || ${p}` : p;
        return anyOf(target.exprs.map((e) => `(${e} IS NOT NULL AND carnet_fold(${e}) LIKE ${pattern} ESCAPE '\\')`));
      }
      case 'empty': {
        // For `name` (several columns), empty means all of them are. A JSON
        // value (extra, fields of one's own) is extracted once, not twice.
        // A number (or yes/no) is empty only when absent: PostgreSQL refuses to compare it with ''.
        const once = node.field.kind === 'custom' || node.field.kind === 'extra';
        const target = this.target(node.field);
        const textual = target.type === 'text' || target.type === 'date';
        return allOf(target.exprs.map((e) => (!textual ? `(${e} IS NULL)` : once ? `(coalesce(${e}, '') = '')` : `(${e} IS NULL OR ${e} = '')`)));
      }
      case 'category':
        return this.category(node.names);
    }
  }

  private target(ref: FieldRef): Target {
    if (ref.kind === 'extra') {
      // The JSON path is a parameter too: the key is user text.
      const path = this.param(this.d.jsonKey(ref.key));
      return { type: 'text', exprs: [this.d.jsonTextAt(`${this.alias}.extra`, path)] };
    }
    if (ref.kind === 'custom') {
      const expr = customFieldSql(this.alias, ref.key, this.d, ref.type === 'number' ? 'number' : 'text');
      return { type: ref.type, exprs: [ref.type === 'text' ? `CAST(${expr} AS TEXT)` : expr] };
    }
    const def = FIELDS.get(ref.name);
    if (def === undefined) throw new Error(`filter AST: unknown field ${JSON.stringify(ref.name)}`);
    return { type: def.type, exprs: def.columns.map((c) => `${this.alias}.${c}`) };
  }

  private compare(target: Target, op: CompareOp, value: FilterValue): string {
    if (target.type !== 'date') {
      const rhs = this.operand(target.type, value);
      return anyOf(target.exprs.map((e) => `(${e} IS NOT NULL AND ${this.side(target.type, e)} ${op} ${rhs})`));
    }
    const bound = this.dateBound(value);
    return anyOf(
      target.exprs.map((e) => {
        if ('instant' in bound) return `(${e} IS NOT NULL AND ${e} ${op} ${this.param(bound.instant)})`;
        // A day is the range [day, next day): this makes `= 2024-01-31` match any
        // time that day and `> 2024-01-31` start the day after, for both stored
        // shapes (`YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS.sssZ`) compared as text.
        const start = (): string => this.param(bound.day);
        const end = (): string => this.param(dayAfter(bound.day));
        const cond =
          op === '='
            ? `${e} >= ${start()} AND ${e} < ${end()}`
            : op === '<'
              ? `${e} < ${start()}`
              : op === '<='
                ? `${e} < ${end()}`
                : op === '>'
                  ? `${e} >= ${end()}`
                  : `${e} >= ${start()}`;
        return `(${e} IS NOT NULL AND ${cond})`;
      }),
    );
  }

  private dateBound(value: FilterValue): DateBound {
    switch (value.kind) {
      case 'date':
        return { day: value.value };
      case 'today':
        return { day: utcDay(this.now) };
      case 'relative':
        return { day: shiftDay(this.now, value.amount, value.unit) };
      case 'instant':
        return { instant: value.value };
      case 'now':
        return { instant: this.now.toISOString() };
      default:
        throw new Error(`filter AST: a ${value.kind} value on a date field`);
    }
  }

  /** The column side of a comparison: folded for text. */
  private side(type: FieldType, expr: string): string {
    return type === 'text' ? `carnet_fold(${expr})` : expr;
  }

  /** The value side of a comparison, as a parameter (folded for text). */
  private operand(type: FieldType, value: FilterValue): string {
    if (type === 'text' && value.kind === 'text') return `carnet_fold(${this.param(value.value)})`;
    // An id is a whole number (the parser's rule), bound as is so that the server uses the primary key.
    if (type === 'id' && value.kind === 'number') return this.param(value.value);
    if (type === 'number' && value.kind === 'number') return this.d.numberParam(this.param(value.value));
    throw new Error(`filter AST: a ${value.kind} value on a ${type} field`);
  }

  private category(names: readonly string[] | null): string {
    // Inner aliases derive from the outer one so they can never shadow it.
    const cc = `${this.alias}_cc`;
    const cat = `${this.alias}_cat`;
    if (names === null) {
      return `(EXISTS (SELECT 1 FROM customer_categories ${cc} WHERE ${cc}.customer_id = ${this.alias}.id))`;
    }
    if (names.length === 0) throw new Error('filter AST: empty category list');
    const list = names.map((n) => `carnet_fold(${this.param(n)})`).join(', ');
    return (
      `(EXISTS (SELECT 1 FROM customer_categories ${cc} JOIN categories ${cat} ON ${cat}.id = ${cc}.category_id` +
      ` WHERE ${cc}.customer_id = ${this.alias}.id AND carnet_fold(${cat}.name) IN (${list})))`
    );
  }

  private param(value: FilterParam): string {
    const name = `${this.prefix}${this.count++}`;
    this.params[name] = value;
    return `@${name}`;
  }
}

function anyOf(parts: readonly string[]): string {
  return parts.length === 1 ? (parts[0] ?? '') : balanced(parts, 'OR');
}

function allOf(parts: readonly string[]): string {
  return parts.length === 1 ? (parts[0] ?? '') : balanced(parts, 'AND');
}

/**
 * The start of the day after `day`, as text that sorts after every stored
 * value of `day`. After 9999-12-31 comes year 10000, whose text
 * ("10000-01-01") sorts before "2024…": a bound just past the last day of
 * year 9999 (U+FFFF sorts after any character a date or timestamp holds)
 * keeps `> 9999-12-31` an empty set instead of everything.
 */
function dayAfter(day: string): string {
  const next = addDays(day, 1);
  return next.length === 10 ? next : `${day}\uffff`;
}

/** Operands joined flat by one operator, at most this many in a row. */
const GROUP = 16;

/**
 * `a AND b AND c …` as SQL whose expression tree stays shallow however long
 * the chain: SQLite parses a flat chain into a tree as deep as the chain is
 * long and refuses one deeper than 1000 ("Expression tree is too large"), so
 * long chains are grouped by GROUP in parentheses, recursively: 5,000 clauses
 * nest about 4 groups deep. Same meaning, since AND and OR are associative.
 */
export function balanced(parts: readonly string[], op: 'AND' | 'OR'): string {
  let level = parts;
  do {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += GROUP) {
      const group = level.slice(i, i + GROUP);
      next.push(group.length === 1 ? (group[0] ?? '') : `(${group.join(` ${op} `)})`);
    }
    level = next;
  } while (level.length > 1);
  return level[0] ?? '';
}

/** SQL that escapes `\`, `%` and `_` in a text expression for LIKE … ESCAPE '\'. */
function likeEscaped(expr: string): string {
  return `replace(replace(replace(${expr}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`;
}
