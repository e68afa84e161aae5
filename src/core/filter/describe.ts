import type { Token } from './lexer.js';

/** How an error message names a token: the user's own spelling, quoted. */
export function describe(tok: Token): string {
  switch (tok.kind) {
    case 'eof':
      return 'the end of the filter';
    case 'string':
      return `the string ${JSON.stringify(tok.value)}`;
    default:
      return `'${tok.value}'`;
  }
}

/** A value as the user wrote it, for "'x' is not a number"-style messages. */
export function describeValue(tok: Token): string {
  return tok.kind === 'string' ? JSON.stringify(tok.value) : `'${tok.value}'`;
}
