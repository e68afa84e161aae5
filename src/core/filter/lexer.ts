import { syntaxErrorAt } from './errors.js';

/**
 * Tokens of the filter language. Words are deliberately loose (anything up to
 * whitespace or punctuation) so that people can type `email = jean@exemple.fr`,
 * `city = L'Isle-d'Abeau`, `created_at > -3y` or `cp = 06000` unquoted;
 * the parser decides what a word means from where it stands.
 */
export type TokenKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Words and operators: the source text. Strings: the decoded content. */
  readonly value: string;
  /** UTF-16 offsets into the expression, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export const OPERATORS = ['=', '==', '!=', '<>', '<', '<=', '>', '>=', '~', '!~'] as const;

/** Characters that end a bare word (besides whitespace). `'` only starts a string at a word's start. */
const WORD_BREAK = new Set(['(', ')', ',', '=', '!', '<', '>', '~', '"']);

/** Longest operators first so that `<=` is not read as `<` then `=`. */
const OPERATORS_BY_LENGTH = [...OPERATORS].sort((a, b) => b.length - a.length);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', value: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const token = readString(text, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    const op = OPERATORS_BY_LENGTH.find((o) => text.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', value: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    if (ch === '!') {
      throw syntaxErrorAt(text, i, "unexpected '!' (use '!=', '!~' or 'not')");
    }
    let end = i;
    while (end < text.length && !WORD_BREAK.has(text.charAt(end)) && !/\s/u.test(text.charAt(end))) end++;
    tokens.push({ kind: 'word', value: text.slice(i, end), start: i, end });
    i = end;
  }
  tokens.push({ kind: 'eof', value: '', start: text.length, end: text.length });
  return tokens;
}

/**
 * A single- or double-quoted string. Backslash escapes the next character
 * (`\"`, `\'`, `\\`), with `\n` and `\t` as the usual control characters; any
 * other escaped character stands for itself, so `"50\%"` is just `50%`.
 */
function readString(text: string, start: number): Token {
  const quote = text.charAt(start);
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === quote) return { kind: 'string', value, start, end: i + 1 };
    if (ch === '\\') {
      if (i + 1 >= text.length) break;
      const next = text.charAt(i + 1);
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  throw syntaxErrorAt(text, start, `unterminated string: no closing ${quote} for the quote here`);
}
