import type { CompareOp, FieldRef, FilterNode, FilterValue, RelativeUnit } from './ast.js';
import { columnAt, syntaxErrorAt, type FilterSyntaxError } from './errors.js';
import { EXTRA_PREFIX, knownFieldNames, lookupField, suggestField, type FieldType } from './fields.js';
import { tokenize, type Token } from './lexer.js';
import { describe, describeValue } from './describe.js';
import { parseDateLiteral } from './dates.js';

/**
 * Recursive descent over this grammar (keywords case-insensitive, `et`/`ou` accepted):
 *
 *   filter    = or EOF
 *   or        = and { ("or" | "ou") and }
 *   and       = unary { ("and" | "et") unary }
 *   unary     = "not" unary | "(" or ")" | category | predicate
 *   category  = "category" ( value | ("=" | "!=") value | ["not"] "in" list | "is" ["not"] "empty" )
 *   predicate = field ( cmp value | ("~" | "!~") value | ["not"] "contains" value
 *                     | ["not"] "starts" ["with"] value | ["not"] "in" list | "is" ["not"] ("empty" | "null") )
 *   cmp       = "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">="
 *   list      = "(" value { "," value } [","] ")"
 *   field     = word | "extra." word | "extra." string
 *   value     = word | string        (read according to the field's type)
 */
/** A field of the user's own as the filter knows it: its key, its filter type, and whether it is yes/no. */
export interface CustomFilterField {
  readonly key: string;
  readonly type: 'text' | 'number' | 'date';
  readonly bool?: boolean;
}

export function parseFilter(text: string, custom: readonly CustomFilterField[] = []): FilterNode {
  return new Parser(text, custom).parse();
}

const YES_NO: Readonly<Record<string, number>> = { oui: 1, yes: 1, true: 1, vrai: 1, non: 0, no: 0, false: 0, faux: 0 };

/** Parentheses and `not`s nest recursively; bound them so a hostile input cannot blow the stack. */
const MAX_DEPTH = 64;

/**
 * Conditions (and values of `in` lists) in one filter. The SQL stays shallow
 * however long the filter (see filter-sql.ts), but each condition costs up to
 * two bound parameters and SQLite takes 32,766 at most: beyond this a filter
 * is not typed by a person, and a clear usage error beats an engine limit.
 */
export const MAX_CONDITIONS = 5_000;

/** Relative dates are bounded to about a thousand years so resolved dates stay 4-digit years. */
const RELATIVE_LIMIT: Record<RelativeUnit, number> = { d: 366_000, w: 52_200, m: 12_000, y: 1_000 };
const RELATIVE_UNITS: Readonly<Record<string, RelativeUnit>> = { d: 'd', j: 'd', w: 'w', m: 'm', y: 'y', a: 'y' };

/** A resolved field: the AST reference plus what type checks need. */
interface Field {
  readonly ref: FieldRef;
  readonly label: string;
  readonly type: FieldType;
  readonly multi: boolean;
  /** A yes/no field of the user's own: oui/non, yes/no, true/false read as 1/0. */
  readonly bool?: boolean;
}

/** `category` takes category names: text values. Its ref is never put in the AST. */
const CATEGORY: Field = { ref: { kind: 'extra', key: 'category' }, label: 'category', type: 'text', multi: false };

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;
  private conditions = 0;

  constructor(
    private readonly text: string,
    private readonly custom: readonly CustomFilterField[] = [],
  ) {
    this.tokens = tokenize(text);
  }

  parse(): FilterNode {
    if (this.peek().kind === 'eof') throw this.error(this.peek(), 'the filter is empty');
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      const reason =
        rest.kind === 'rparen'
          ? "unexpected ')' with no matching '('"
          : `expected 'and', 'or' or the end of the filter, got ${describe(rest)}`;
      throw this.error(rest, reason);
    }
    return node;
  }

  private parseOr(): FilterNode {
    const operands = [this.parseAnd()];
    while (this.isWord(this.peek(), 'or', 'ou')) operands.push(this.parseOperand(this.next(), () => this.parseAnd()));
    return combine('or', operands);
  }

  private parseAnd(): FilterNode {
    const operands = [this.parseUnary()];
    while (this.isWord(this.peek(), 'and', 'et')) operands.push(this.parseOperand(this.next(), () => this.parseUnary()));
    return combine('and', operands);
  }

  /** The right-hand side of `and`/`or`, with a clear message when it is missing. */
  private parseOperand(op: Token, parse: () => FilterNode): FilterNode {
    this.expectCondition(op);
    return parse();
  }

  private expectCondition(after: Token): void {
    const tok = this.peek();
    if (tok.kind === 'eof' || tok.kind === 'rparen' || this.isWord(tok, 'and', 'et', 'or', 'ou')) {
      throw this.error(tok, `expected a condition after '${after.value}'`);
    }
  }

  private parseUnary(): FilterNode {
    const tok = this.peek();
    if (this.isWord(tok, 'not')) {
      this.next();
      this.expectCondition(tok);
      return this.nested(tok, () => ({ type: 'not', operand: this.parseUnary() }));
    }
    if (tok.kind === 'lparen') {
      this.next();
      this.expectCondition(tok);
      const inner = this.nested(tok, () => this.parseOr());
      const close = this.peek();
      if (close.kind !== 'rparen') {
        const open = columnAt(this.text, tok.start);
        throw this.error(close, `expected ')' to close the '(' at column ${open}, got ${describe(close)}`);
      }
      this.next();
      return inner;
    }
    this.count(tok);
    if (this.isWord(tok, 'category')) {
      this.next();
      return this.parseCategory(tok);
    }
    return this.parsePredicate();
  }

  private count(at: Token): void {
    if (++this.conditions > MAX_CONDITIONS) {
      throw this.error(
        at,
        `the filter has more than ${MAX_CONDITIONS.toLocaleString('en')} conditions and list values`,
        'put the values in a category (carnet tag) and filter on it, or split the work in several commands',
      );
    }
  }

  private nested(at: Token, parse: () => FilterNode): FilterNode {
    if (++this.depth > MAX_DEPTH) throw this.error(at, `the filter nests deeper than ${MAX_DEPTH} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseCategory(keyword: Token): FilterNode {
    const tok = this.peek();
    const names = (values: FilterValue[]): string[] => values.map((v) => (v.kind === 'text' ? v.value : ''));
    if (tok.kind === 'op' && ['=', '==', '!=', '<>'].includes(tok.value)) {
      this.next();
      const node: FilterNode = { type: 'category', names: names([this.parseValue(CATEGORY, tok)]) };
      return tok.value === '!=' || tok.value === '<>' ? { type: 'not', operand: node } : node;
    }
    if (this.isWord(tok, 'in', 'not')) {
      const negated = this.isWord(this.next(), 'not');
      if (negated) {
        const inTok = this.next();
        if (!this.isWord(inTok, 'in')) throw this.error(inTok, `expected 'in' after 'category not', got ${describe(inTok)}`);
      }
      const node: FilterNode = { type: 'category', names: names(this.parseList(CATEGORY)) };
      return negated ? { type: 'not', operand: node } : node;
    }
    if (this.isWord(tok, 'is')) {
      this.next();
      const any: FilterNode = { type: 'category', names: null };
      return this.parseEmptyTail(tok) ? any : { type: 'not', operand: any };
    }
    if (tok.kind === 'op' || tok.kind === 'eof' || tok.kind === 'rparen' || tok.kind === 'comma') {
      throw this.error(tok, `expected a category name after 'category' (category "VIP", category in (a, b), category is empty), got ${describe(tok)}`);
    }
    return { type: 'category', names: names([this.parseValue(CATEGORY, keyword)]) };
  }

  /** After `is`: `[not] empty` (or `null`); returns whether `not` was there. */
  private parseEmptyTail(is: Token): boolean {
    let negated = false;
    if (this.isWord(this.peek(), 'not')) {
      this.next();
      negated = true;
    }
    const tok = this.next();
    if (!this.isWord(tok, 'empty', 'null')) {
      throw this.error(tok, `expected 'empty' after '${negated ? 'is not' : is.value}', got ${describe(tok)}`);
    }
    return negated;
  }

  private parsePredicate(): FilterNode {
    const field = this.parseField();
    const ref = field.ref;
    const tok = this.next();
    if (tok.kind === 'op') {
      if (tok.value === '~' || tok.value === '!~') {
        const node: FilterNode = { type: 'contains', field: ref, value: this.parseTextValue(field, tok) };
        return tok.value === '!~' ? { type: 'not', operand: node } : node;
      }
      const negated = tok.value === '!=' || tok.value === '<>';
      const op: CompareOp = negated || tok.value === '==' ? '=' : (tok.value as CompareOp);
      if (op !== '=' && field.multi) {
        throw this.error(tok, `'${field.label}' reads several columns and cannot be ordered with '${tok.value}'; use =, ~, starts or in`);
      }
      const node: FilterNode = { type: 'compare', field: ref, op, value: this.parseValue(field, tok) };
      return negated ? { type: 'not', operand: node } : node;
    }
    if (this.isWord(tok, 'is')) {
      const node: FilterNode = { type: 'empty', field: ref };
      return this.parseEmptyTail(tok) ? { type: 'not', operand: node } : node;
    }
    let negated = false;
    let verb = tok;
    if (this.isWord(tok, 'not')) {
      negated = true;
      verb = this.next();
      if (!this.isWord(verb, 'in', 'contains', 'starts')) {
        throw this.error(verb, `expected 'in', 'contains' or 'starts' after 'not', got ${describe(verb)}`);
      }
    }
    let node: FilterNode;
    if (this.isWord(verb, 'in')) {
      node = { type: 'in', field: ref, values: this.parseList(field) };
    } else if (this.isWord(verb, 'contains')) {
      node = { type: 'contains', field: ref, value: this.parseTextValue(field, verb) };
    } else if (this.isWord(verb, 'starts')) {
      if (this.isWord(this.peek(), 'with')) this.next();
      node = { type: 'starts', field: ref, value: this.parseTextValue(field, verb) };
    } else {
      throw this.error(
        tok,
        `expected an operator after '${field.label}' (=, !=, <, <=, >, >=, ~, !~, in, not in, starts, is empty), got ${describe(tok)}`,
      );
    }
    return negated ? { type: 'not', operand: node } : node;
  }

  private parseField(): Field {
    const tok = this.next();
    if (tok.kind !== 'word') {
      const reason =
        tok.kind === 'string'
          ? 'expected a field name, got a quoted string (quote values, not fields)'
          : `expected a condition (a field name, 'not', 'category' or '('), got ${describe(tok)}`;
      throw this.error(tok, reason);
    }
    if (tok.value.toLowerCase().startsWith(EXTRA_PREFIX)) {
      let key = tok.value.slice(EXTRA_PREFIX.length);
      const quoted = this.peek();
      if (key === '' && quoted.kind === 'string' && quoted.start === tok.end) {
        this.next();
        key = quoted.value;
      }
      // SQLite JSON paths cannot escape a double quote inside a quoted key.
      if (key === '' || key.includes('"')) {
        throw this.error(tok, `expected an imported column name after 'extra.' (e.g. extra.code or extra."Date RDV")`);
      }
      return { ref: { kind: 'extra', key }, label: `extra.${key}`, type: 'text', multi: false };
    }
    const def = lookupField(tok.value);
    if (def === undefined) {
      const own = this.custom.find((c) => c.key === tok.value.toLowerCase());
      if (own) return { ref: { kind: 'custom', key: own.key, type: own.type }, label: tok.value, type: own.type, multi: false, bool: own.bool === true };
      const guess = suggestField(tok.value);
      const reason = `unknown field '${tok.value}'${guess === undefined ? '' : ` — did you mean '${guess}'?`}`;
      const mine = this.custom.map((c) => c.key);
      throw this.error(tok, reason, `known fields: ${[...knownFieldNames(), ...mine].join(', ')}, extra.<column>`);
    }
    return { ref: { kind: 'field', name: def.name }, label: tok.value, type: def.type, multi: def.columns.length > 1 };
  }

  private parseList(field: Field): FilterValue[] {
    const open = this.next();
    if (open.kind !== 'lparen') throw this.error(open, `expected '(' to start a list, e.g. in (a, b), got ${describe(open)}`);
    const values = [this.parseValue(field, open)];
    for (;;) {
      const tok = this.next();
      if (tok.kind === 'rparen') return values;
      if (tok.kind !== 'comma') throw this.error(tok, `expected ',' or ')' in the list, got ${describe(tok)}`);
      if (this.peek().kind === 'rparen') continue;
      this.count(this.peek());
      values.push(this.parseValue(field, tok));
    }
  }

  /** The value of `~` and `starts`: text, which number fields do not have. */
  private parseTextValue(field: Field, op: Token): string {
    if (field.type === 'number' || field.type === 'id') {
      throw this.error(op, `'${op.value}' works on text, and '${field.label}' is a ${field.type === 'id' ? 'number' : field.type}; use =, <, >, in`);
    }
    const tok = this.expectValueToken(op);
    return tok.value;
  }

  private expectValueToken(after: Token): Token {
    const tok = this.next();
    const keyword = this.isWord(tok, 'and', 'et', 'or', 'ou');
    if ((tok.kind !== 'word' && tok.kind !== 'string') || keyword) {
      const quoteHint = keyword ? ` (quote it to mean the word ${tok.value})` : '';
      throw this.error(tok, `expected a value after '${after.value}'${quoteHint}`);
    }
    return tok;
  }

  /** Reads one value and interprets it for the field's type; type errors point at the value. */
  private parseValue(field: Field, after: Token): FilterValue {
    const tok = this.expectValueToken(after);
    const raw = tok.value;
    switch (field.type) {
      case 'text':
        return { kind: 'text', value: raw };
      case 'number':
      case 'id': {
        const yesNo = field.bool === true ? YES_NO[raw.trim().toLowerCase()] : undefined;
        if (yesNo !== undefined) return { kind: 'number', value: yesNo };
        const ok = field.type === 'id' ? /^\+?\d{1,15}$/.test(raw.trim()) : /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw.trim());
        if (!ok) {
          const what = field.type === 'id' ? 'a whole number' : 'a number (e.g. 1000 or 1000.50)';
          throw this.error(tok, `'${field.label}' is a number: expected ${what}, got ${describeValue(tok)}`);
        }
        return { kind: 'number', value: Number(raw.trim()) };
      }
      case 'date':
        return this.dateValue(field, tok);
    }
  }

  private dateValue(field: Field, tok: Token): FilterValue {
    const raw = tok.value.trim();
    const lower = raw.toLowerCase();
    if (lower === 'today') return { kind: 'today' };
    if (lower === 'now') return { kind: 'now' };
    const relative = /^([+-]?)(\d{1,6})([a-z])$/.exec(lower);
    const unit = relative === null ? undefined : RELATIVE_UNITS[relative[3] ?? ''];
    if (relative !== null && unit !== undefined) {
      const [, sign, digits] = relative;
      if (sign === '') {
        throw this.error(tok, `a relative date needs a sign: -${raw} for the past, +${raw} for the future`);
      }
      const amount = Number(digits) * (sign === '-' ? -1 : 1);
      if (Math.abs(amount) > RELATIVE_LIMIT[unit]) throw this.error(tok, `relative date ${raw} is too far away`);
      return { kind: 'relative', amount, unit };
    }
    const parsed = parseDateLiteral(raw);
    if (parsed === undefined) {
      throw this.error(
        tok,
        `'${field.label}' is a date: expected 2024-01-31, 2024-01-31T10:00, 31/01/2024, -3y, -6m, -2w, -30d, today or now, got ${describeValue(tok)}`,
      );
    }
    if (parsed === null) throw this.error(tok, `${describeValue(tok)} is not a valid date`);
    return parsed;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.eof();
  }

  private next(): Token {
    const tok = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return tok;
  }

  private eof(): Token {
    return { kind: 'eof', value: '', start: this.text.length, end: this.text.length };
  }

  private isWord(tok: Token, ...keywords: string[]): boolean {
    return tok.kind === 'word' && keywords.includes(tok.value.toLowerCase());
  }

  private error(tok: Token, reason: string, hint?: string): FilterSyntaxError {
    return syntaxErrorAt(this.text, tok.start, reason, hint);
  }
}

function combine(type: 'and' | 'or', operands: FilterNode[]): FilterNode {
  if (operands.length === 1 && operands[0] !== undefined) return operands[0];
  // Flatten `a and (b and c)` into one list: simpler trees, same meaning.
  const flat = operands.flatMap((n) => (n.type === type ? n.operands : [n]));
  return { type, operands: flat };
}
