import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseFilter, FilterSyntaxError, type FilterNode } from '../../src/core/filter/index.js';
import { UsageError, ExitCode } from '../../src/core/errors.js';

const field = (name: string) => ({ kind: 'field', name }) as const;
const text = (value: string) => ({ kind: 'text', value }) as const;

/** Parses and expects a FilterSyntaxError; returns it. */
function syntaxError(expr: string): FilterSyntaxError {
  try {
    parseFilter(expr);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterSyntaxError);
    return e as FilterSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(expr)} not to parse`);
}

describe('parseFilter: comparisons', () => {
  it('reads field op value with bare words, quoted strings and numbers', () => {
    expect(parseFilter('city = Lyon')).toEqual({ type: 'compare', field: field('city'), op: '=', value: text('Lyon') });
    expect(parseFilter('city="Saint-Étienne"')).toEqual({
      type: 'compare',
      field: field('city'),
      op: '=',
      value: text('Saint-Étienne'),
    });
    expect(parseFilter("last_name = 'O\\'Brien'")).toMatchObject({ value: text("O'Brien") });
    expect(parseFilter("city = L'Isle-d'Abeau")).toMatchObject({ value: text("L'Isle-d'Abeau") });
    expect(parseFilter('email = jean@exemple.fr')).toMatchObject({ value: text('jean@exemple.fr') });
    expect(parseFilter('revenue >= 1000.50')).toEqual({
      type: 'compare',
      field: field('revenue'),
      op: '>=',
      value: { kind: 'number', value: 1000.5 },
    });
    expect(parseFilter('orders > -3')).toMatchObject({ value: { kind: 'number', value: -3 } });
    expect(parseFilter('revenue < "12"')).toMatchObject({ value: { kind: 'number', value: 12 } });
  });

  it('keeps numbers typed for text fields as text (leading zeros matter)', () => {
    expect(parseFilter('postal_code = 06000')).toMatchObject({ value: text('06000') });
  });

  it('normalises negative operators to not', () => {
    const eq: FilterNode = { type: 'compare', field: field('city'), op: '=', value: text('Lyon') };
    expect(parseFilter('city != Lyon')).toEqual({ type: 'not', operand: eq });
    expect(parseFilter('city <> Lyon')).toEqual({ type: 'not', operand: eq });
    expect(parseFilter('city !~ ly')).toEqual({
      type: 'not',
      operand: { type: 'contains', field: field('city'), value: 'ly' },
    });
    expect(parseFilter('city not contains ly')).toEqual(parseFilter('city !~ ly'));
    expect(parseFilter('email is not empty')).toEqual({ type: 'not', operand: { type: 'empty', field: field('email') } });
    expect(parseFilter('email IS NULL')).toEqual({ type: 'empty', field: field('email') });
  });

  it('reads in-lists, starts and contains', () => {
    expect(parseFilter('status in (prospect, lead, "c d",)')).toEqual({
      type: 'in',
      field: field('status'),
      values: [text('prospect'), text('lead'), text('c d')],
    });
    expect(parseFilter('status not in (a)')).toEqual({
      type: 'not',
      operand: { type: 'in', field: field('status'), values: [text('a')] },
    });
    expect(parseFilter('id in (1, 2)')).toMatchObject({ values: [{ kind: 'number', value: 1 }, { kind: 'number', value: 2 }] });
    expect(parseFilter('postal_code starts with 69')).toEqual({ type: 'starts', field: field('postal_code'), value: '69' });
    expect(parseFilter('last_name ~ "dupont"')).toEqual({ type: 'contains', field: field('last_name'), value: 'dupont' });
  });

  it('resolves aliases, case-insensitive names and extra fields', () => {
    expect(parseFilter('CP = 69001')).toMatchObject({ field: field('postal_code') });
    expect(parseFilter('zip = 69001')).toMatchObject({ field: field('postal_code') });
    expect(parseFilter('Ville = Lyon')).toMatchObject({ field: field('city') });
    expect(parseFilter('name ~ dup')).toMatchObject({ field: field('name') });
    expect(parseFilter('extra.code_client = A12')).toMatchObject({ field: { kind: 'extra', key: 'code_client' } });
    expect(parseFilter('extra."Date RDV" is empty')).toEqual({ type: 'empty', field: { kind: 'extra', key: 'Date RDV' } });
  });

  it('reads categories in every form', () => {
    const vip: FilterNode = { type: 'category', names: ['VIP'] };
    expect(parseFilter('category "VIP"')).toEqual(vip);
    expect(parseFilter('category VIP')).toEqual(vip);
    expect(parseFilter('category = VIP')).toEqual(vip);
    expect(parseFilter('not category "VIP"')).toEqual({ type: 'not', operand: vip });
    expect(parseFilter('category != VIP')).toEqual({ type: 'not', operand: vip });
    expect(parseFilter('category in (VIP, Gold)')).toEqual({ type: 'category', names: ['VIP', 'Gold'] });
    expect(parseFilter('category not in (VIP)')).toEqual({ type: 'not', operand: vip });
    expect(parseFilter('category is not empty')).toEqual({ type: 'category', names: null });
    expect(parseFilter('category is empty')).toEqual({ type: 'not', operand: { type: 'category', names: null } });
  });
});

describe('parseFilter: dates', () => {
  it('reads absolute, French, relative and named dates', () => {
    expect(parseFilter('created_at < 2024-01-31')).toMatchObject({ value: { kind: 'date', value: '2024-01-31' } });
    expect(parseFilter('created_at < 31/01/2024')).toMatchObject({ value: { kind: 'date', value: '2024-01-31' } });
    expect(parseFilter('created_at < 2024-01-31T10:00')).toMatchObject({
      value: { kind: 'instant', value: '2024-01-31T10:00:00.000Z' },
    });
    expect(parseFilter('created_at < "2024-01-31T10:00:00+02:00"')).toMatchObject({
      value: { kind: 'instant', value: '2024-01-31T08:00:00.000Z' },
    });
    expect(parseFilter('last_contact_at < -3y')).toMatchObject({ value: { kind: 'relative', amount: -3, unit: 'y' } });
    expect(parseFilter('last_contact_at < -6m')).toMatchObject({ value: { kind: 'relative', amount: -6, unit: 'm' } });
    expect(parseFilter('last_contact_at < -30d')).toMatchObject({ value: { kind: 'relative', amount: -30, unit: 'd' } });
    expect(parseFilter('last_contact_at < -30j')).toMatchObject({ value: { kind: 'relative', amount: -30, unit: 'd' } });
    expect(parseFilter('last_contact_at > +2w')).toMatchObject({ value: { kind: 'relative', amount: 2, unit: 'w' } });
    expect(parseFilter('created_at >= TODAY')).toMatchObject({ value: { kind: 'today' } });
    expect(parseFilter('created_at <= now')).toMatchObject({ value: { kind: 'now' } });
  });

  it('rejects impossible or unsigned dates with a caret on the value', () => {
    expect(syntaxError('birth_date = 2023-02-29').column).toBe(14);
    expect(syntaxError('birth_date = 2024-13-01').reason).toMatch(/not a valid date/);
    expect(syntaxError('created_at > 3y').reason).toMatch(/-3y for the past/);
    expect(syntaxError('created_at > yesterday').reason).toMatch(/is a date/);
  });
});

describe('parseFilter: boolean structure', () => {
  const a: FilterNode = { type: 'compare', field: field('city'), op: '=', value: text('a') };
  const b: FilterNode = { type: 'compare', field: field('city'), op: '=', value: text('b') };
  const c: FilterNode = { type: 'compare', field: field('city'), op: '=', value: text('c') };

  it('gives not > and > or precedence and flattens chains', () => {
    expect(parseFilter('city = a or city = b and city = c')).toEqual({ type: 'or', operands: [a, { type: 'and', operands: [b, c] }] });
    expect(parseFilter('city = a and city = b or city = c')).toEqual({ type: 'or', operands: [{ type: 'and', operands: [a, b] }, c] });
    expect(parseFilter('(city = a or city = b) and city = c')).toEqual({ type: 'and', operands: [{ type: 'or', operands: [a, b] }, c] });
    expect(parseFilter('city = a AND (city = b and city = c)')).toEqual({ type: 'and', operands: [a, b, c] });
    expect(parseFilter('not city = a and city = b')).toEqual({ type: 'and', operands: [{ type: 'not', operand: a }, b] });
    expect(parseFilter('city = a et city = b ou city = c')).toEqual(parseFilter('city = a and city = b or city = c'));
  });

  it('parses the architecture examples', () => {
    expect(parseFilter('city = "Lyon" and revenue >= 1000 and not category "VIP"')).toMatchObject({ type: 'and' });
    expect(parseFilter('status in (prospect, lead)')).toMatchObject({ type: 'in' });
  });
});

describe('parseFilter: errors', () => {
  it('shows the column and a caret under it', () => {
    const err = syntaxError('city = ');
    expect(err.message).toBe("bad filter at column 8: expected a value after '='\n  city = \n         ^");
    expect(err.column).toBe(8);
    expect(err.details).toMatchObject({ column: 8, expression: 'city = ' });
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(ExitCode.usage);
  });

  it('points at unknown fields with a suggestion and the list of fields', () => {
    const err = syntaxError('revenue > 1 and citty = Lyon');
    expect(err.column).toBe(17);
    expect(err.reason).toBe("unknown field 'citty' — did you mean 'city'?");
    expect(err.hint).toMatch(/known fields: id, uid,.*extra\.<column>/);
    expect(syntaxError('zzzzzz = 1').reason).toBe("unknown field 'zzzzzz'");
  });

  it('reports type errors at the operator or the value', () => {
    expect(syntaxError('revenue ~ "x"')).toMatchObject({ column: 9 });
    expect(syntaxError('revenue > "abc"')).toMatchObject({ column: 11 });
    expect(syntaxError('id = 1.5').reason).toMatch(/whole number/);
    expect(syntaxError('name < b').reason).toMatch(/several columns/);
  });

  it('explains structural mistakes', () => {
    expect(syntaxError('').reason).toBe('the filter is empty');
    expect(syntaxError('city').reason).toMatch(/expected an operator after 'city'/);
    expect(syntaxError('city = Lyon and').reason).toBe("expected a condition after 'and'");
    expect(syntaxError('city = Lyon revenue > 1').reason).toMatch(/expected 'and', 'or'/);
    expect(syntaxError('(city = Lyon').reason).toMatch(/expected '\)' to close the '\(' at column 1/);
    expect(syntaxError('city = Lyon)').reason).toMatch(/unexpected '\)'/);
    expect(syntaxError('city = "Lyon').column).toBe(8);
    expect(syntaxError('city in ()').column).toBe(10);
    expect(syntaxError('city in (a b)').reason).toMatch(/expected ',' or '\)'/);
    expect(syntaxError('city ! Lyon').reason).toMatch(/unexpected '!'/);
    expect(syntaxError('"city" = Lyon').reason).toMatch(/quote values, not fields/);
    expect(syntaxError('city = and').reason).toMatch(/quote it/);
  });

  it('counts columns in characters and keeps control characters off the caret line', () => {
    const err = syntaxError('name = "é😀" zz');
    expect(err.column).toBe(13);
    const lines = syntaxError('city =\n\t').message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('  city =  ');
    expect(lines[2]).toBe(`  ${' '.repeat(8)}^`);
  });

  it('bounds nesting instead of overflowing the stack', () => {
    expect(syntaxError('('.repeat(10_000)).reason).toMatch(/nests deeper/);
    expect(syntaxError('not '.repeat(10_000) + 'city = a').reason).toMatch(/nests deeper/);
    expect(parseFilter('('.repeat(50) + 'city = a' + ')'.repeat(50))).toEqual({
      type: 'compare',
      field: field('city'),
      op: '=',
      value: text('a'),
    });
  });
});

describe('parseFilter: properties', () => {
  const fragments = fc.constantFrom(
    'city', 'revenue', 'created_at', 'name', 'category', 'extra.', 'and', 'or', 'not', 'in', 'is', 'empty',
    'starts', 'contains', '=', '!=', '<', '>=', '~', '!~', '(', ')', ',', '"', "'", '\\', '-3y', '2024-02-30',
    '1000', 'Lyon', ' ', '\u0000', 'é', '😀',
  );
  const soup = fc.array(fragments, { maxLength: 20 }).map((parts) => parts.join(''));

  it('either parses or throws FilterSyntaxError, for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), soup), (input) => {
        try {
          parseFilter(input);
        } catch (e) {
          if (!(e instanceof FilterSyntaxError)) throw e;
          const col = e.column;
          if (col < 1 || col > Array.from(input).length + 1) throw new Error(`column ${col} out of range`);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
