import { UsageError } from '../errors.js';

const DEFAULT_HINT =
  'check the filter syntax, e.g. city = "Lyon" and revenue >= 1000 and not category "VIP"';

/**
 * A filter the user typed cannot be understood. Exit code 2 (usage), like a bad flag.
 * The message shows the expression with a caret under the offending column, because
 * filters are typed on one shell line and "syntax error" alone is useless there.
 */
export class FilterSyntaxError extends UsageError {
  /** 1-based, counted in Unicode code points (what a person counts on screen). */
  readonly column: number;
  readonly expression: string;
  /** The bare reason, without position and caret (for --json output and tests). */
  readonly reason: string;

  constructor(reason: string, expression: string, column: number, hint?: string) {
    super(formatFilterError(reason, expression, column), hint ?? DEFAULT_HINT, { column, expression, reason });
    this.column = column;
    this.expression = expression;
    this.reason = reason;
  }
}

/**
 * "bad filter at column N: reason", then the expression and a caret, each indented
 * by two spaces. Control characters (newlines, tabs, NUL) are shown as spaces so the
 * caret stays under the right character and nothing odd reaches the terminal.
 */
export function formatFilterError(reason: string, expression: string, column: number): string {
  const shown = Array.from(expression, (ch) => (isControl(ch) ? ' ' : ch)).join('');
  const caret = ' '.repeat(Math.max(0, column - 1)) + '^';
  return `bad filter at column ${column}: ${reason}\n  ${shown}\n  ${caret}`;
}

function isControl(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029;
}

/** Converts a UTF-16 offset (what the lexer uses) to the 1-based code-point column users see. */
export function columnAt(expression: string, offset: number): number {
  return Array.from(expression.slice(0, offset)).length + 1;
}

/** Shorthand used by the lexer and the parser: an error at a UTF-16 offset of the expression. */
export function syntaxErrorAt(expression: string, offset: number, reason: string, hint?: string): FilterSyntaxError {
  return new FilterSyntaxError(reason, expression, columnAt(expression, offset), hint);
}
