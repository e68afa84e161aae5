import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { frenchVatOf, isLuhnValid, isValidSiret, normaliseSiret, normaliseVat, sirenOf } from '../../src/core/normalise/index.js';

/**
 * Shared vectors (python-stdnum's, LGPL): read in place at test time, never
 * copied into this repository. Skipped when the shared folder is absent.
 */
const VECTORS = fileURLToPath(new URL('../../../shared/data/siret/siret_siren_vectors.csv', import.meta.url));

/** Minimal CSV reader for this file: comma-separated, double-quoted fields with "" escapes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe.skipIf(!existsSync(VECTORS))('SIRET/SIREN shared vectors', () => {
  const [header = [], ...rows] = existsSync(VECTORS) ? parseCsv(readFileSync(VECTORS, 'utf8')) : [];
  const col = (name: string): number => header.indexOf(name);
  const records = rows
    .filter((r) => r.length >= header.length)
    .map((r) => ({
      kind: r[col('kind')] ?? '',
      raw: r[col('raw')] ?? '',
      digits: r[col('digits')] ?? '',
      valid: r[col('expected_valid')] === 'true',
      luhn: r[col('luhn_ok')] === 'true',
      note: r[col('note')] ?? '',
    }));

  it('has vectors', () => {
    expect(records.length).toBeGreaterThan(10);
  });

  it.each(records.map((r) => [r.kind, r.raw, r] as const))('%s %s', (_kind, _raw, r) => {
    expect(isLuhnValid(r.digits)).toBe(r.luhn);
    if (r.valid) {
      expect(normaliseSiret(r.raw)).toBe(r.digits);
    } else {
      expect(() => normaliseSiret(r.raw)).toThrow(ValidationError);
    }
  });
});

describe('normaliseSiret (own vectors)', () => {
  // 732 829 320 (a SIREN computed for this test: Luhn sum 30) and its establishment 00074.
  it('accepts a SIRET with separators and returns its 14 digits', () => {
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(normaliseSiret('732 829 320 00074')).toBe('73282932000074');
    expect(normaliseSiret('732.829.320.00074')).toBe('73282932000074');
    expect(normaliseSiret('732-829-320-00074')).toBe('73282932000074');
    expect(normaliseSiret('732\u00a0829\u202f320\u00a000074')).toBe('73282932000074');
  });

  it('accepts a 9-digit SIREN and returns it as is', () => {
    expect(normaliseSiret('732 829 320')).toBe('732829320');
    expect(sirenOf('732829320')).toBe('732829320');
    expect(sirenOf('73282932000074')).toBe('732829320');
  });

  it('applies the La Poste rule (digit sum multiple of 5) to SIREN 356000000', () => {
    // 3+5+6+0…+1+1 = 16 → no; …+1+4 = 19 → no; 3+5+6+2+4 = 20 → yes.
    expect(normaliseSiret('356 000 000 00024')).toBe('35600000000024');
    expect(() => normaliseSiret('35600000000025')).toThrow(ValidationError);
  });

  it('restores the leading zero Excel dropped, when the check digit agrees', () => {
    // 05781313100026 is valid; Excel shows 5781313100026.
    expect(normaliseSiret('5781313100026')).toBe('05781313100026');
  });

  it('treats empty as null', () => {
    expect(normaliseSiret('')).toBeNull();
    expect(normaliseSiret('  ')).toBeNull();
    expect(normaliseSiret(null)).toBeNull();
    expect(normaliseSiret(undefined)).toBeNull();
  });

  it.each([
    ['73282932000075', 'wrong check digit'],
    ['732829321', 'wrong SIREN key'],
    ['7328293200007', '13 digits that stay invalid padded'],
    ['123', 'too short'],
    ['732 829 320 0007A', 'a letter'],
    ['FR40303265045', 'a VAT number'],
  ])('rejects %s (%s), naming the field', (raw) => {
    try {
      normaliseSiret(raw, 'siret');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).field).toBe('siret');
      expect((e as ValidationError).exitCode).toBe(3);
    }
  });

  it('names the field it was given', () => {
    expect(() => normaliseSiret('123', 'company_siret')).toThrow(/company_siret/);
  });

  it('requires the SIREN of a SIRET to be valid too', () => {
    // 14 digits passing Luhn whose first 9 do not: 000000001 + 00007 → sum check.
    const bad = '10000000000008';
    expect(isLuhnValid(bad)).toBe(true);
    expect(isLuhnValid(bad.slice(0, 9))).toBe(false);
    expect(isValidSiret(bad)).toBe(false);
  });
});

/** Asserts fn throws a ValidationError naming `field`. */
function expectField(fn: () => unknown, field: string): void {
  expect(fn).toThrow(ValidationError);
  try {
    fn();
  } catch (e) {
    expect((e as ValidationError).field).toBe(field);
  }
}

describe('normaliseVat', () => {
  it('checks the French key', () => {
    expect(normaliseVat('fr 40 303 265 045')).toBe('FR40303265045');
    expect(normaliseVat('FR40303265045')).toBe('FR40303265045');
    expect(frenchVatOf('303265045')).toBe('FR40303265045');
    expect(normaliseVat('40 303 265 045')).toBe('FR40303265045');
    expectField(() => normaliseVat('FR41303265045'), 'vat_number');
    expectField(() => normaliseVat('FR40303265046'), 'vat_number');
  });

  it('accepts other prefixes by shape', () => {
    expect(normaliseVat('BE 0123.456.789')).toBe('BE0123456789');
    expect(normaliseVat('de123456789')).toBe('DE123456789');
    expect(normaliseVat('NL123456789B01')).toBe('NL123456789B01');
    expect(normaliseVat('ATU12345678')).toBe('ATU12345678');
    expect(normaliseVat('GR123456789')).toBe('EL123456789');
    expect(normaliseVat('CHE-123.456.789 TVA')).toBe('CHE123456789TVA');
    expect(normaliseVat('')).toBeNull();
    expectField(() => normaliseVat('DE12345'), 'vat_number');
    expectField(() => normaliseVat('ZZ123456789'), 'vat_number');
  });
});
